/* The case database schema. Times are integers: microseconds since the
 * epoch, UTC ("_us"). Every finding carries its provenance: the evidence row
 * and frames (captures) or byte offset (mailboxes). Changing a table means
 * raising CASEDB_SCHEMA_VERSION and updating docs/case-database.md. */
#include "store/schema.h"

const char casedb_schema_sql[] =
"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);\n"

/* One row per report, add or render; each also has its entry in runs.log
 * (store/runlog.h), which holds the database's hash after the run. */
"CREATE TABLE runs (\n"
"  id INTEGER PRIMARY KEY, command_line TEXT NOT NULL, tool_version TEXT NOT NULL,\n"
"  started INTEGER NOT NULL, finished INTEGER, status INTEGER,\n"
"  command TEXT NOT NULL, examiner TEXT, tool_sha256 TEXT,\n"   /* command: report add render */
"  db_before TEXT, db_before_state TEXT NOT NULL);\n"         /* new recorded unrecorded interrupted */

"CREATE TABLE evidence (\n"
"  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id),\n"
"  parent_id INTEGER REFERENCES evidence(id),\n"          /* the folder an entry is in */
"  path TEXT NOT NULL, abs_path TEXT NOT NULL, type TEXT NOT NULL, detail TEXT,\n"
"  size INTEGER NOT NULL, md5 TEXT NOT NULL, sha1 TEXT NOT NULL, sha256 TEXT NOT NULL,\n"
"  first_us INTEGER, last_us INTEGER, packets INTEGER, link_types TEXT,\n"
"  status TEXT NOT NULL DEFAULT 'ingesting',\n"          /* ingesting, ok, partial, unreadable, not-evidence, not-followed */
"  reason TEXT,\n"                                      /* why it was not read, or not read whole */
"  position TEXT,\n"                                    /* an entry of an archive: its path in it */
"  after_sha256 TEXT, after_match INTEGER);\n"

"CREATE TABLE log (\n"
"  id INTEGER PRIMARY KEY, run_id INTEGER, evidence_id INTEGER,\n"
"  level TEXT NOT NULL, code TEXT NOT NULL, source TEXT NOT NULL, position TEXT NOT NULL,\n"
"  message TEXT NOT NULL, format TEXT, args TEXT);\n"  /* format, args: schema 12 */

/* capture/: one row per TCP flow. Frame refs are (evidence_id, frame). */
"CREATE TABLE flows (\n"
"  id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL, flow_no INTEGER NOT NULL,\n"
"  cli_ip TEXT NOT NULL, cli_port INTEGER NOT NULL, srv_ip TEXT NOT NULL, srv_port INTEGER NOT NULL,\n"
"  syn_seen INTEGER NOT NULL, first_us INTEGER, last_us INTEGER,\n"
"  first_frame INTEGER, last_frame INTEGER,\n"
"  pkts_c2s INTEGER, pkts_s2c INTEGER, bytes_c2s INTEGER, bytes_s2c INTEGER,\n"
"  payload_c2s INTEGER, payload_s2c INTEGER, retransmissions INTEGER,\n"
"  gaps INTEGER, gap_bytes INTEGER, conflicts INTEGER, app TEXT, end_reason TEXT);\n"

/* mail/: protocol sessions, their transcripts and credentials. */
"CREATE TABLE sessions (\n"
"  id INTEGER PRIMARY KEY, flow_id INTEGER NOT NULL REFERENCES flows(id), evidence_id INTEGER NOT NULL,\n"
"  protocol TEXT NOT NULL, greeting TEXT, server_name TEXT, server_software TEXT,\n"
"  client_name TEXT, capabilities TEXT, tls TEXT NOT NULL DEFAULT 'none', tls_frame INTEGER,\n"
"  first_us INTEGER, last_us INTEGER, messages INTEGER NOT NULL DEFAULT 0, notes TEXT);\n"
"CREATE TABLE transcript (\n"
"  id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id), seq INTEGER NOT NULL,\n"
"  dir TEXT NOT NULL, ts_us INTEGER, frames TEXT, stream_off INTEGER, line TEXT NOT NULL);\n"
"CREATE TABLE credentials (\n"
"  id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),\n"
"  protocol TEXT NOT NULL, mechanism TEXT NOT NULL, authzid TEXT, username TEXT, secret TEXT,\n"
"  secret_kind TEXT, crack_line TEXT, verdict TEXT NOT NULL, reply TEXT, frames TEXT,\n"
"  ts_us INTEGER, client TEXT, server TEXT,\n"
"  domain TEXT, workstation TEXT, details TEXT);\n"     /* mail/sasl.c: NTLM, DIGEST-MD5, SCRAM, GSSAPI */

/* mail/imap.c: each data item of a FETCH response, and each APPEND. */
"CREATE TABLE imap_items (\n"
"  id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),\n"
"  dir TEXT NOT NULL, mailbox TEXT, mailbox_utf8 TEXT, seq INTEGER, uid INTEGER,\n"
"  item TEXT NOT NULL, section TEXT NOT NULL, origin INTEGER,\n"   /* section: message header header-fields text part mime envelope other */
"  flags TEXT, internaldate TEXT, internaldate_us INTEGER, rfc822_size INTEGER,\n"
"  size INTEGER NOT NULL, sha256 TEXT, frames TEXT, stream_off INTEGER, ts_us INTEGER,\n"
"  use TEXT NOT NULL, message_id INTEGER REFERENCES messages(id), incomplete_why TEXT);\n"   /* use: message headers-only assembled piece listed */

/* mail/tls.c: what a session's TLS handshake showed; versions and cipher
 * suites as numbers (0x0303 = 771), lists as "0x0304,0x0303". */
"CREATE TABLE tls (\n"
"  id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id),\n"
"  record_version INTEGER, client_version INTEGER, server_version INTEGER, version INTEGER,\n"
"  offered_versions TEXT, sni TEXT, alpn_offered TEXT, alpn TEXT, ciphers TEXT, cipher INTEGER,\n"
"  ja3 TEXT, ja3_md5 TEXT, ja3s TEXT, ja3s_md5 TEXT, ja4 TEXT,\n"
"  certs_hidden INTEGER NOT NULL DEFAULT 0, certs INTEGER NOT NULL DEFAULT 0,\n"
"  hrr INTEGER NOT NULL DEFAULT 0, hrr_group INTEGER, ja4_retry TEXT);\n"   /* HelloRetryRequest */
"CREATE TABLE tls_certs (\n"
"  id INTEGER PRIMARY KEY, tls_id INTEGER NOT NULL REFERENCES tls(id), idx INTEGER NOT NULL,\n"
"  sha256 TEXT NOT NULL, size INTEGER NOT NULL, parsed INTEGER NOT NULL,\n"   /* sha256: artifacts */
"  subject TEXT, issuer TEXT, not_before TEXT, not_after TEXT, serial TEXT, san TEXT);\n"

/* mail/message.c: every message, from the wire or a mailbox. */
"CREATE TABLE messages (\n"
"  id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL, session_id INTEGER,\n"
"  parent_id INTEGER REFERENCES messages(id),\n"            /* for message/rfc822 parts */
"  source TEXT NOT NULL,\n"                                  /* smtp pop3 imap mbox eml maildir rfc822 */
"  mbox_index INTEGER, file_offset INTEGER, file_path TEXT,\n"
"  flow_id INTEGER, frames TEXT, stream_off INTEGER, ts_us INTEGER,\n"
"  env_from TEXT, env_rcpt TEXT,\n"                          /* env_rcpt: JSON array of accepted recipients */
"  incomplete INTEGER NOT NULL DEFAULT 0, incomplete_why TEXT, partial INTEGER NOT NULL DEFAULT 0,\n"
"  raw_sha256 TEXT, size INTEGER,\n"
"  message_id TEXT, subject TEXT, from_addr TEXT, from_name TEXT, date_raw TEXT, date_us INTEGER,\n"
"  in_reply_to TEXT, refs TEXT, x_mailer TEXT, x_originating_ip TEXT, auth_results TEXT,\n"
"  has_dkim INTEGER, headers TEXT,\n"                        /* headers: JSON [[name, raw, decoded], ...] */
"  body_text TEXT, body_html_text TEXT, flags TEXT,\n"
"  obs_helo TEXT, obs_client_ip TEXT, obs_server TEXT, obs_server_ip TEXT,\n"
"  from_line TEXT, from_line_us INTEGER);\n"                /* the mbox "From " separator and its time */
"CREATE TABLE addresses (\n"
"  id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL REFERENCES messages(id),\n"
"  role TEXT NOT NULL, name TEXT, addr TEXT);\n"             /* from sender reply-to to cc bcc return-path env-from env-rcpt */

/* mail/hops.c: the route from Received headers, origin first. */
"CREATE TABLE hops (\n"
"  id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL REFERENCES messages(id), idx INTEGER NOT NULL,\n"
"  observed INTEGER NOT NULL DEFAULT 0, parsed INTEGER NOT NULL, raw TEXT,\n"   /* raw: NULL for the observed hop */
"  from_helo TEXT, from_rdns TEXT, from_ip TEXT, by_host TEXT, by_ip TEXT, software TEXT,\n"
"  protocol TEXT, tls TEXT, smtp_id TEXT, for_addr TEXT, date_raw TEXT, date_us INTEGER,\n"
"  date_zone TEXT,\n"                                        /* known unknown untrusted none */
"  delay_s INTEGER, flags TEXT, trust TEXT);\n"              /* trust: trusted, origin, unverifiable */
"CREATE TABLE routes (\n"
"  message_id INTEGER PRIMARY KEY REFERENCES messages(id),\n"
"  verdict TEXT NOT NULL,\n"                                  /* no-hops unreadable observed chain-holds forged */
"  origin_host TEXT, origin_ip TEXT, forged_hops INTEGER, flags TEXT,\n"
"  origin_idx INTEGER, date_us INTEGER, date_zone TEXT,\n"   /* the Date header, by mail/maildate.c */
"  date_delta_s INTEGER, obs_delta_s INTEGER,\n"             /* Date minus origin hop; capture minus Date */
"  obs_kind TEXT,\n"                                         /* smtp, fetched; NULL: no observed hop */
"  x_originating_ip TEXT, auth TEXT, mid_domain TEXT, from_domain TEXT, rp_domain TEXT);\n"

/* store/artifacts.c: extracted files, stored once by content. */
"CREATE TABLE artifacts (\n"
"  sha256 TEXT PRIMARY KEY, md5 TEXT NOT NULL, sha1 TEXT NOT NULL, size INTEGER NOT NULL,\n"
"  path TEXT NOT NULL, detected_type TEXT, detected_desc TEXT);\n"
"CREATE TABLE artifact_refs (\n"
"  id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL REFERENCES artifacts(sha256), evidence_id INTEGER,\n"
"  parent_kind TEXT NOT NULL, parent_id INTEGER,\n"          /* message, artifact, document */
"  parent_sha256 TEXT, role TEXT NOT NULL,\n"                /* raw-message attachment inline body image embedding */
"  declared_name TEXT, declared_type TEXT, ext_mismatch INTEGER NOT NULL DEFAULT 0,\n"
"  part_path TEXT, provenance TEXT);\n"

/* office/: unpacked documents. */
"CREATE TABLE documents (\n"
"  id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, kind TEXT NOT NULL,\n"
"  title TEXT, subject TEXT, creator TEXT, keywords TEXT, description TEXT,\n"
"  last_modified_by TEXT, revision TEXT, created TEXT, modified TEXT, last_printed TEXT,\n"
"  application TEXT, app_version TEXT, company TEXT, template TEXT, total_time TEXT,\n"
"  pages TEXT, words TEXT, has_macros INTEGER NOT NULL DEFAULT 0, encrypted INTEGER NOT NULL DEFAULT 0,\n"
"  text TEXT, flags TEXT,\n"
"  evidence_id INTEGER, declared_name TEXT, md5 TEXT, size INTEGER,\n"   /* the document itself */
"  depth INTEGER NOT NULL DEFAULT 0, parent_sha256 TEXT);\n"              /* documents inside documents */
"CREATE TABLE doc_items (\n"
"  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),\n"
"  kind TEXT NOT NULL,\n"                                    /* comment insertion deletion hyperlink image embedding sheet slide note */
"  author TEXT, date TEXT, text TEXT, target TEXT, sha256 TEXT,\n"
"  part TEXT, md5 TEXT);\n"                                 /* part: zip entry it came from */

/* mailstore/: what a PST/OST, MSG, TNEF or EMLX says of a message beyond
 * its header fields (store/db_store.h). */
"CREATE TABLE store_items (\n"
"  message_id INTEGER PRIMARY KEY REFERENCES messages(id), evidence_id INTEGER NOT NULL,\n"
"  store TEXT NOT NULL, folder TEXT, item_id INTEGER, message_class TEXT,\n"   /* store: pst ost msg tnef emlx */
"  submit_us INTEGER, delivery_us INTEGER, created_us INTEGER, modified_us INTEGER,\n"
"  recovered INTEGER NOT NULL DEFAULT 0,\n"
"  headers_from TEXT NOT NULL,\n"                           /* transport properties message */
"  addresses TEXT, flags TEXT, notes TEXT,\n"              /* addresses: JSON [[role, name, address, type, smtp]] */
"  part TEXT);\n"                                          /* a nested item: its part path in the parent message */
/* mailstore/pst.c: every folder of a PST/OST, in the order walked. */
"CREATE TABLE store_folders (\n"
"  id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL REFERENCES evidence(id),\n"
"  path TEXT NOT NULL, depth INTEGER NOT NULL, item_id INTEGER,\n"
"  messages INTEGER NOT NULL, sub_folders INTEGER NOT NULL,\n"   /* as libpff lists them */
"  content_count INTEGER, unread_count INTEGER,\n"          /* PidTagContentCount, PidTagContentUnreadCount */
"  unreadable INTEGER NOT NULL DEFAULT 0);\n"               /* messages listed that could not be read */
/* media/exif.c: camera, times and GPS of extracted JPEG and TIFF images. */
"CREATE TABLE image_meta (\n"
"  sha256 TEXT PRIMARY KEY,\n"                              /* the artifact */
"  make TEXT, model TEXT, datetime_original TEXT, datetime TEXT,\n"  /* as written */
"  offset_original TEXT, offset_time TEXT, taken TEXT,\n"   /* taken: ISO 8601 */
"  gps_lat REAL, gps_lon REAL, gps_alt REAL);\n"
/* auth/: DKIM keys the examiner supplied (kept so a verification can be
 * repeated after the DNS record is gone) and one row per DKIM-Signature. */
"CREATE TABLE dkim_keys (\n"
"  id INTEGER PRIMARY KEY, name TEXT NOT NULL, record TEXT NOT NULL, sha256 TEXT NOT NULL,\n"
"  source TEXT, line INTEGER, run_id INTEGER, UNIQUE (name, sha256));\n"
"CREATE TABLE dkim_signatures (\n"
"  id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL REFERENCES messages(id),\n"
"  field_no INTEGER NOT NULL, domain TEXT, selector TEXT, algorithm TEXT, canon TEXT,\n"
"  signed_headers TEXT, identity TEXT, t INTEGER, x INTEGER, l INTEGER,\n"
"  body_hash TEXT NOT NULL, bh_computed TEXT,\n"            /* match mismatch untested */
"  result TEXT NOT NULL,\n"                                 /* pass body-altered headers-altered no-key ... */
"  lib_error TEXT, key_id INTEGER REFERENCES dkim_keys(id), unsigned_headers TEXT,\n"
"  eval_us INTEGER, eval_basis TEXT NOT NULL);\n"           /* capture received date none */
/* auth/hidden.c: times and addresses hidden in a message's Message-ID and
 * MIME boundaries, one row per decoded value (docs/hidden-timestamps.md). */
/* auth/authres.c: what receiving servers wrote (Authentication-Results,
 * ARC-Authentication-Results, Received-SPF), one row per method result. */
"CREATE TABLE auth_results (\n"
"  id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL REFERENCES messages(id),\n"
"  field TEXT NOT NULL, field_no INTEGER NOT NULL, instance INTEGER, authserv_id TEXT,\n"
"  method TEXT, result TEXT, reason TEXT, props TEXT,\n"   /* method NULL: the field names none */
"  err TEXT);\n"
"CREATE TABLE hidden_times (\n"
"  id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL REFERENCES messages(id),\n"
"  field TEXT NOT NULL, value TEXT NOT NULL,\n"             /* message-id boundary; as written */
"  rule TEXT NOT NULL, clock TEXT NOT NULL,\n"              /* outlook-msgid ...; utc local */
"  time_us INTEGER NOT NULL, ipv4 TEXT);\n"                /* local: the wall clock counted as UTC */

"CREATE INDEX log_evidence ON log(evidence_id);\n"
"CREATE INDEX flows_evidence ON flows(evidence_id);\n"
"CREATE INDEX transcript_session ON transcript(session_id, seq);\n"
"CREATE INDEX imap_items_session ON imap_items(session_id);\n"
"CREATE INDEX imap_items_message ON imap_items(message_id);\n"
"CREATE INDEX tls_session ON tls(session_id);\n"
"CREATE INDEX tls_certs_tls ON tls_certs(tls_id, idx);\n"
"CREATE INDEX messages_evidence ON messages(evidence_id);\n"
"CREATE INDEX addresses_message ON addresses(message_id);\n"
"CREATE INDEX hops_message ON hops(message_id, idx);\n"
"CREATE INDEX refs_sha ON artifact_refs(sha256);\n"
"CREATE INDEX refs_parent ON artifact_refs(parent_kind, parent_id);\n"
"CREATE INDEX dkim_signatures_message ON dkim_signatures(message_id, field_no);\n"
"CREATE INDEX hidden_times_message ON hidden_times(message_id, id);\n"
"CREATE INDEX auth_results_message ON auth_results(message_id, id);\n"
;
