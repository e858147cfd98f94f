/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* The pool (公海池, settings:pool): leads without an owner, which any rep
 * may claim. An assigned lead nobody contacts within the recycle hours
 * (48) returns to it; a pool lead nobody claims for the unclaimed days
 * (30) gets the flag tag ("unclaimed"), which filters and searches find
 * like any tag and which claiming or assigning the lead removes. */

typedef enum
{
  LK_POOL_RECYCLED,   /* returned to the pool */
  LK_POOL_FLAGGED,    /* tagged as unclaimed */
  LK_POOL_UNFLAGGED,  /* the tag removed: the lead has an owner again */
} LkPoolChangeKind;

typedef struct
{
  LkPoolChangeKind  kind;
  char             *lead_id;
  char             *lead_name;
  char             *owner;   /* recycled: the owner it had */
  gint64            since;   /* recycled: assigned at; flagged: in the pool since */
} LkPoolChange;

void lk_pool_change_free (LkPoolChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkPoolChange, lk_pool_change_free)

#define LK_TYPE_POOL (lk_pool_get_type ())
G_DECLARE_FINAL_TYPE (LkPool, lk_pool, LK, POOL, GObject)

LkPool      *lk_pool_new_default        (void);
LkPool      *lk_pool_new_from_json      (JsonObject  *object,
                                         GError     **error);
JsonObject  *lk_pool_to_json            (LkPool      *self);
LkPool      *lk_pool_copy               (LkPool      *self);

gboolean     lk_pool_get_recycle        (LkPool      *self);
void         lk_pool_set_recycle        (LkPool      *self,
                                         gboolean     recycle);
guint        lk_pool_get_recycle_hours  (LkPool      *self);
void         lk_pool_set_recycle_hours  (LkPool      *self,
                                         guint        hours);
guint        lk_pool_get_unclaimed_days (LkPool      *self);
void         lk_pool_set_unclaimed_days (LkPool      *self,
                                         guint        days);
const char  *lk_pool_get_flag_tag       (LkPool      *self);

gboolean     lk_pool_claim              (LkPool      *self,
                                         LkStore     *store,
                                         const char  *lead_id,
                                         const char  *user_id,
                                         GError     **error);
GPtrArray   *lk_pool_recycle            (LkPool      *self,
                                         LkStore     *store,
                                         gboolean     dry_run,
                                         GError     **error);
GPtrArray   *lk_pool_flag_unclaimed     (LkPool      *self,
                                         LkStore     *store,
                                         gboolean     dry_run,
                                         GError     **error);

G_END_DECLS
