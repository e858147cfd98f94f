/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-sync-client.h"

G_DEFINE_QUARK (lk-sync-error-quark, lk_sync_error)
