/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* "Prepare server database": with an administrator's credentials, creates
 * the database named in @url if missing, its epoch marker
 * (_local/leadkeeper-epoch, kept if present), its _security (members:
 * role "leadkeeper"; admins: role "manager") and the design document of
 * data/couchdb/ whose validate_doc_update guards the documents. Running
 * it again on a prepared database changes nothing but the design document
 * (updated when ours is newer). Errors are in LK_SYNC_ERROR. */
void      lk_server_setup_prepare_async  (const char          *url,
                                          const char          *admin_user,
                                          const char          *admin_password,
                                          gboolean             allow_insecure,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  lk_server_setup_prepare_finish (GAsyncResult        *result,
                                          GError             **error);

/* What a prepare run changed on the server, for people to read. */
typedef enum
{
  LK_SERVER_SETUP_CREATED_DATABASE = 1 << 0,
  LK_SERVER_SETUP_WROTE_EPOCH      = 1 << 1,  /* the marker was missing */
  LK_SERVER_SETUP_WROTE_SECURITY   = 1 << 2,  /* a role of ours was missing */
  LK_SERVER_SETUP_WROTE_DESIGN     = 1 << 3,  /* missing, older or edited */
} LkServerSetupChanges;

/* lk_server_setup_prepare_finish() that also tells what changed and the
 * database's epoch (both optional; @epoch is set only on success). */
gboolean  lk_server_setup_prepare_finish_full (GAsyncResult          *result,
                                               LkServerSetupChanges  *changes,
                                               char                 **epoch,
                                               GError               **error);

G_END_DECLS
