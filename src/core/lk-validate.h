/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lead.h"
#include "lk-pipeline.h"

G_BEGIN_DECLS

#define LK_DEFAULT_PHONE_REGION "CN"

gboolean  lk_validate_email   (const char  *email,
                               GError     **error);
char     *lk_phone_to_e164    (const char  *phone,
                               const char  *default_region,
                               GError     **error);
gboolean  lk_phone_region_supported (const char *region);
char     *lk_phone_regions_describe (void);
gboolean  lk_lead_normalize   (LkLead      *lead,
                               const char  *default_region,
                               GError     **error);
gboolean  lk_lead_validate    (LkLead      *lead,
                               LkPipeline  *pipeline,
                               GError     **error);

G_END_DECLS
