/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-record.h"

G_BEGIN_DECLS

/* A team member. The id is "user:<name>"; lead owners refer to it. */
typedef enum
{
  LK_USER_NAME,
  LK_USER_DISPLAY_NAME,
  LK_USER_ROLE,
  LK_USER_EMAIL,
  LK_USER_REGIONS,
  LK_USER_INDUSTRIES,
  LK_USER_SENIOR,
  LK_USER_CAPACITY,
  LK_USER_N_FIELDS
} LkUserField;

#define LK_TYPE_USER (lk_user_get_type ())
G_DECLARE_FINAL_TYPE (LkUser, lk_user, LK, USER, LkRecord)

char       *lk_user_id_for_name      (const char *name);
const char *lk_user_id_get_name      (const char *user_id);
LkUser     *lk_user_new              (const char *name,
                                      const char *display_name,
                                      const char *role);
const char *lk_user_get_display_name (LkUser     *self);
char       *lk_user_get_initials     (LkUser     *self);

G_END_DECLS
