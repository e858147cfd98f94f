// SPDX-License-Identifier: GPL-3.0-or-later
// PouchDB's own replicator pulling a CouchDB database into a new local
// PouchDB database (leveldb, in a folder of its own): the comparison of
// bench-sync's initial pull. Run by tests/bench/bench-sync.c:
//
//   node pouchdb-replicate.js SERVER_DIR REMOTE_URL USER FOLDER
//
// SERVER_DIR is tests/server (its node_modules holds pouchdb 7.3.1 from
// the same lockfile as pouchdb-server); the password comes in
// $LEADKEEPER_BENCH_PASSWORD, never on the command line. The batch size
// is 500 documents, the page size of Leadkeeper's pull. Prints one line
// of JSON: {"ms": time of the replication alone, "docs_written": …,
// "doc_count": documents in the local database after it, "max_rss_kb": …}.
'use strict';

const path = require('path');

async function main() {
  const [serverDir, remoteUrl, user, folder] = process.argv.slice(2);

  if (!serverDir || !remoteUrl || !user || !folder) {
    throw new Error('usage: pouchdb-replicate.js SERVER_DIR REMOTE_URL USER FOLDER');
  }
  const PouchDB = require(path.join(serverDir, 'node_modules', 'pouchdb'));
  const remote = new PouchDB(remoteUrl, {
    auth: { username: user, password: process.env.LEADKEEPER_BENCH_PASSWORD || '' },
    skip_setup: true,
  });
  const local = new PouchDB(path.join(folder, 'replica'), { adapter: 'leveldb' });

  const start = process.hrtime.bigint();
  const result = await PouchDB.replicate(remote, local, { batch_size: 500 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;

  if (!result.ok) {
    throw new Error('the replication failed: ' + JSON.stringify(result.errors));
  }
  const info = await local.info();
  await local.close();
  await remote.close();
  process.stdout.write(JSON.stringify({
    ms: ms,
    docs_written: result.docs_written,
    doc_count: info.doc_count,
    max_rss_kb: process.resourceUsage().maxRSS,
  }) + '\n');
}

main().catch((error) => {
  process.stderr.write('pouchdb-replicate: ' + (error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
