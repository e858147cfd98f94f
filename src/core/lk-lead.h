/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-record.h"

G_BEGIN_DECLS

/* The fields of a lead document, version 1 (SYNC.md), in document order. */
typedef enum
{
  LK_LEAD_CODE,
  LK_LEAD_COMPANY,
  LK_LEAD_INDUSTRY,
  LK_LEAD_COMPANY_SIZE,
  LK_LEAD_CONTACT,
  LK_LEAD_TITLE,
  LK_LEAD_PHONE,
  LK_LEAD_EMAIL,
  LK_LEAD_IM,
  LK_LEAD_REGION,
  LK_LEAD_SOURCE,
  LK_LEAD_CAMPAIGN,
  LK_LEAD_NEEDS,
  LK_LEAD_BUDGET,
  LK_LEAD_AMOUNT,
  LK_LEAD_CURRENCY,
  LK_LEAD_GRADE,
  LK_LEAD_SCORE,
  LK_LEAD_TEMPERATURE,
  LK_LEAD_BANT_BUDGET,
  LK_LEAD_BANT_AUTHORITY,
  LK_LEAD_BANT_NEED,
  LK_LEAD_BANT_TIMELINE,
  LK_LEAD_MQL,
  LK_LEAD_SQL,
  LK_LEAD_TAGS,
  LK_LEAD_OWNER,
  LK_LEAD_ASSIGNED_AT,
  LK_LEAD_STAGE,
  LK_LEAD_STAGE_ENTERED_AT,
  LK_LEAD_LOST_REASON,
  LK_LEAD_NEXT_FOLLOWUP_AT,
  LK_LEAD_FIRST_CONTACTED_AT,
  LK_LEAD_LAST_CONTACTED_AT,
  LK_LEAD_CONSENT,
  LK_LEAD_DO_NOT_CONTACT,
  LK_LEAD_NOTES,
  LK_LEAD_CREATED_AT,
  LK_LEAD_CREATED_BY,
  LK_LEAD_UPDATED_AT,
  LK_LEAD_UPDATED_BY,
  LK_LEAD_N_FIELDS
} LkLeadField;

#define LK_TYPE_LEAD (lk_lead_get_type ())
G_DECLARE_FINAL_TYPE (LkLead, lk_lead, LK, LEAD, LkRecord)

LkLead     *lk_lead_new              (void);
LkLead     *lk_lead_copy             (LkLead *self);

const char *lk_lead_get_company      (LkLead *self);
const char *lk_lead_get_contact      (LkLead *self);
const char *lk_lead_get_stage        (LkLead *self);
const char *lk_lead_get_owner        (LkLead *self);
gint64      lk_lead_get_amount       (LkLead *self);
const char *lk_lead_get_display_name (LkLead *self);

G_END_DECLS
