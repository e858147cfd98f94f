/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* Lead documents of the version-1 format with Chinese and Western
 * companies, the same for the same seed: what bench-sync seeds the
 * server with, and what bench-json and bench-doc read. */

#define LK_BENCH_DAY_MS (24 * 3600 * (gint64) 1000)

void  lk_bench_append_string (GString    *out,
                              const char *text);
char *lk_bench_lead_id     (GRand      *rand);
void  lk_bench_append_lead (GString    *out,
                            GRand      *rand,
                            guint       i,
                            const char *id,
                            const char *rev,
                            gint64      now);
