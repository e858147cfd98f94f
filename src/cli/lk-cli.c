/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include "lk-cli.h"

int
lk_cli_run (int    argc,
            char **argv)
{
  return 0;
}
