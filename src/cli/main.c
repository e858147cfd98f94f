/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-cli.h"

int
main (int    argc,
      char **argv)
{
  return lk_cli_run (argc, argv);
}
