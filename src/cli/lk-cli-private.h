/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "lk-context.h"
#include "lk-lead.h"

G_BEGIN_DECLS

#define LK_CLI_PROGRAM "leadkeeper-cli"

/* Exit statuses: a stable interface for scripts. */
enum
{
  LK_CLI_EXIT_OK    = 0,
  LK_CLI_EXIT_DATA  = 1,  /* invalid data, unknown id, refused move, database error */
  LK_CLI_EXIT_USAGE = 2,  /* unknown command or option, missing argument */
};

typedef struct _LkCli LkCli;
typedef struct _LkCliCommand LkCliCommand;

/* @args holds the arguments after the command's name, as UTF-8 text;
 * args[0] is the command's full name ("lead add"). Returns %FALSE with
 * @error set for an error the dispatcher prints, or %FALSE without an
 * error when the command has already said what went wrong (or, after
 * --help, when lk_cli_parse_options() has shown the help). */
typedef gboolean (*LkCliRunFunc) (LkCli   *cli,
                                  GStrv    args,
                                  GError **error);

struct _LkCliCommand
{
  const char   *name;     /* "lead add" */
  const char   *params;   /* N_("ID STAGE"): positional arguments, for --help */
  const char   *summary;  /* N_(): one line */
  LkCliRunFunc  run;
};

struct _LkCli
{
  /* Owned */
  char               *db_path;     /* --db; %NULL for $LEADKEEPER_DB or the default */
  LkContext          *context;     /* opened on first use */
  GHashTable         *user_names;  /* user id → display name, read on first use */

  /* Borrowed */
  const LkCliCommand *command;

  guint               help_shown : 1;
};

/* lk-cli-config.c */
gboolean     lk_cli_config          (LkCli              *cli,
                                     GStrv               args,
                                     GError            **error);

/* lk-cli.c */
gboolean     lk_cli_parse_options   (LkCli              *cli,
                                     const GOptionEntry *entries,
                                     const char         *description,
                                     GStrv              *args,
                                     guint               min_args,
                                     guint               max_args,
                                     GError            **error);
void         lk_cli_usage_error     (GError            **error,
                                     const char         *format,
                                     ...) G_GNUC_PRINTF (2, 3);
LkContext   *lk_cli_open            (LkCli              *cli,
                                     GError            **error);
LkStore     *lk_cli_open_store      (LkCli              *cli,
                                     GError            **error);
char        *lk_cli_user_id         (const char         *name);
const char  *lk_cli_user_name       (LkCli              *cli,
                                     const char         *user_id);
void         lk_cli_warn            (const char         *format,
                                     ...) G_GNUC_PRINTF (1, 2);
void         lk_cli_print_json      (JsonNode           *node);

/* lk-cli-report.c */
gboolean     lk_cli_report          (LkCli              *cli,
                                     GStrv               args,
                                     GError            **error);

/* lk-cli-server.c */
char        *lk_cli_read_password   (const char         *password_file,
                                     const char         *user,
                                     GError            **error);

/* lk-cli-format.c */
typedef struct _LkCliTable LkCliTable;

gsize        lk_cli_display_width   (const char         *text);
char        *lk_cli_format_money    (gint64              minor,
                                     const char         *currency);
char        *lk_cli_format_time     (LkCli              *cli,
                                     gint64              ms);
const char  *lk_cli_stage_name      (LkCli              *cli,
                                     const char         *stage_id);
LkCliTable  *lk_cli_table_new       (guint               n_columns);
void         lk_cli_table_free      (LkCliTable         *table);
void         lk_cli_table_align_right (LkCliTable       *table,
                                       guint             column);
void         lk_cli_table_add_row   (LkCliTable         *table,
                                     const char * const *cells);
void         lk_cli_table_print     (LkCliTable         *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCliTable, lk_cli_table_free)

/* lk-cli-lead.c */
LkLead      *lk_cli_find_live_lead  (LkStore            *store,
                                     const char         *ref,
                                     GError            **error);

/* The commands, one file per area */
gboolean     lk_cli_lead_add        (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_lead_move       (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_lead_show       (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_lead_set        (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_lead_delete     (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_leads_list      (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_stats           (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_check           (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_demo            (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_server_prepare  (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_import          (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_import_undo     (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_export          (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_sync            (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_sync_status     (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
/* lk-cli-followup.c */
gboolean     lk_cli_followup_add    (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_event_add       (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_agenda          (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
/* lk-cli-team.c */
gboolean     lk_cli_assign          (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_claim           (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_maintain        (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_rules           (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
/* lk-cli-list.c: the lead filters that `leads list` and `export` share */
typedef struct
{
  const char *stage;
  const char *owner;
  gboolean    pool;
  const char *source;
  const char *grade;
  const char *temperature;
  const char *tag;
  gboolean    overdue;
  const char *search;
} LkCliFilter;

gboolean     lk_cli_filter_apply    (LkCli             *cli,
                                     const LkCliFilter *filter,
                                     LkLeadQuery       *query,
                                     GError           **error);
/* lk-cli-dedup.c */
gboolean     lk_cli_dedup           (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_merge           (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);
gboolean     lk_cli_unmerge         (LkCli   *cli,
                                     GStrv    args,
                                     GError **error);

G_END_DECLS
