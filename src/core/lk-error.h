/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LK_ERROR (lk_error_quark ())

typedef enum
{
  LK_ERROR_INVALID,         /* bad data: a field, a document, a value */
  LK_ERROR_NOT_FOUND,
  LK_ERROR_GATE,            /* the pipeline does not allow this move */
  LK_ERROR_SCHEMA_TOO_NEW,  /* the database was written by a newer Leadkeeper */
  LK_ERROR_DATABASE,        /* SQLite said no */
  LK_ERROR_CANCELLED,
} LkError;

GQuark lk_error_quark (void);

G_END_DECLS
