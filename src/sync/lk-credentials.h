/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The sync password in the desktop keyring (libsecret, the Secret
 * Service): schema "io.github.leadkeeper.Leadkeeper.Server", attributes
 * "url" (the server, as in the sync-url setting: "https://crm.example.com:6984")
 * and "user". The password never goes anywhere else: not to SQLite, not to
 * GSettings, not to a log, not into a URL. Every call is asynchronous (the
 * keyring may ask the user to unlock it). */

#define LK_CREDENTIALS_ERROR (lk_credentials_error_quark ())

typedef enum
{
  LK_CREDENTIALS_ERROR_NO_KEYRING,  /* no Secret Service on the session bus (or no session bus) */
  LK_CREDENTIALS_ERROR_LOCKED,      /* the keyring stayed locked or the prompt was dismissed */
  LK_CREDENTIALS_ERROR_FAILED,      /* anything else the keyring said */
} LkCredentialsError;

GQuark    lk_credentials_error_quark   (void);

void      lk_credentials_store_async   (const char          *url,
                                        const char          *user,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  lk_credentials_store_finish  (GAsyncResult        *result,
                                        GError             **error);

/* Finishes with %NULL and no error when nothing is stored for url + user. */
void      lk_credentials_lookup_async  (const char          *url,
                                        const char          *user,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *lk_credentials_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

/* Succeeds also when nothing was stored. */
void      lk_credentials_clear_async   (const char          *url,
                                        const char          *user,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  lk_credentials_clear_finish  (GAsyncResult        *result,
                                        GError             **error);

/* Wipes @password's bytes before freeing it. */
void      lk_credentials_free_password (char                *password);

G_END_DECLS
