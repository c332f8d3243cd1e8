/* diff.h - the comparison behind `mailcase diff` (the command is
 * cli_diff.c): what two cases share, what only one of them holds, and what
 * changed, read from the two case databases (never from report text). docs/diff.md describes the comparison and the output.
 *
 * Findings are compared by identity: evidence (SHA-256), credentials
 * (protocol, user, secret), messages (Message-ID, else the raw message's
 * SHA-256), extracted files (SHA-256), e-mail addresses (lowercased), hosts
 * and IPs (flow endpoints and hop senders), likely message origins. An item
 * whose identity is in both cases but whose content differs (a message with
 * the same Message-ID and another body or attachment set) is "altered".
 * Case details, paths, row numbers and times are shown but never compared. */
#ifndef MC_DIFF_H
#define MC_DIFF_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct casedb;

struct diff_opts {
	const char *lang;          /* "en" or "ko": labels in the model */
	const char *label_a;       /* how the cases are named (their folders) */
	const char *label_b;
	int64_t generated_us;      /* generated-at, microseconds since the epoch */
};

/* The diff model (a new reference; json_decref() it). Keys:
 * generated, lang, differs, a/b = {label, dir, case_title, case_number,
 * examiner, agency, tool_versions, evidence_count, updated},
 * case_rows[] = {title, a, b} (the same, as table rows), categories[] =
 * {key, title, only_a[], only_b[], both[], altered[], n_only_a, n_only_b,
 * n_both, n_altered, has_only_a, has_only_b, has_both, has_altered, has_any};
 * an item is {id, a, b, a_text, b_text, changes[] = {field, title, a, b}}
 * (a/b: the details and compared content of each side that holds it;
 * a_text/b_text: the details as one line). Values are plain text from the
 * evidence: the templates escape them. Both cases are only read. */
json_t *diff_cases(struct casedb *a, struct casedb *b, const struct diff_opts *o);

/* True when some category has an item only in one case or altered. */
bool diff_differs(const json_t *model);

/* Writes diff.json, diff.md and diff.html into dir, which must not exist or
 * be empty (it is created; nothing is ever overwritten). templates_dir holds
 * diff.md.mustache. false with *err (free it) on failure. */
bool diff_write(const json_t *model, const char *dir, const char *templates_dir, char **err)
	__attribute__((warn_unused_result));

#endif
