/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One run of the real leadkeeper-cli binary ($LEADKEEPER_CLI). */
typedef struct
{
  int   status;  /* the exit status */
  char *out;
  char *err;
} CliResult;

void        cli_result_clear   (CliResult          *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

/* Runs leadkeeper-cli with @args (NULL-terminated), in the test's
 * environment without $LEADKEEPER_DB, plus @env ("NAME=value", nullable).
 * Asserts that the program exited (no crash, no sanitizer report) and
 * returns its exit status. */
int         cli_runv           (CliResult          *result,
                                const char * const *env,
                                const char * const *args);
/* leadkeeper-cli --db @db ARG… (no --db when @db is NULL) */
int         cli_run            (CliResult          *result,
                                const char         *db,
                                ...) G_GNUC_NULL_TERMINATED;

/* A path for a database in the test's own temporary data folder */
char       *cli_db_path        (const char         *name);

/* `lead add` with the options given; asserts it worked and printed only
 * the new id, which it returns. */
char       *cli_add_lead       (const char         *db,
                                ...) G_GNUC_NULL_TERMINATED;
/* `lead set ID FIELD=VALUE…`; asserts it worked */
void        cli_set            (const char         *db,
                                const char         *id,
                                ...) G_GNUC_NULL_TERMINATED;
/* `lead show ID --json`, parsed; asserts it worked */
JsonObject *cli_show_json      (const char         *db,
                                const char         *id);
/* `leads list --json ARG…`, parsed; asserts it worked */
JsonArray  *cli_list_json      (const char         *db,
                                ...) G_GNUC_NULL_TERMINATED;
JsonNode   *cli_parse_json     (const char         *text);

/* The companies of a `leads list --json` result, sorted, joined by "|" */
char       *cli_companies      (JsonArray          *leads);

/* Runs @sql on the database file with SQLite directly (to damage it). */
void        cli_sql_exec       (const char         *db,
                                const char         *sql);

/* Terminal cells of @text: two for a wide (CJK) character */
gsize       cli_display_width  (const char         *text);

G_END_DECLS
