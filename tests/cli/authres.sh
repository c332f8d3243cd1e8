#!/bin/sh
# What the receiving servers wrote (Authentication-Results, Received-SPF,
# ARC-Authentication-Results), per method, judged against the route's trust
# boundary (a field written inside it, outside it, or by a server not on the
# route) and set beside mailcase's own DKIM result; in English and Korean.
. tests/cli/lib.sh
if ! command -v sqlite3 >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	skip all "sqlite3 or jq is not installed"; exit 0
fi

# Received fields top-down: mx.example.org (trusted, the top), mail.example.com,
# then a hop a day older whose receiver is not the next hop's sender (forged).
cat > "$TMP/ar.eml" <<'EML'
Authentication-Results: mx.example.org; dkim=pass header.d=example.com header.s=rsa;
	spf=pass (sender is designated) smtp.mailfrom=a@example.com; dmarc=pass header.from=example.com
Received-SPF: pass (mx.example.org: domain of a@example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1;
Received: from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.org with ESMTP id 9; Tue, 1 Jul 2003 01:52:40 +0000
Authentication-Results: forged.example.net; dkim=pass header.d=bank.example
Received: from pc.example.com (pc.example.com [203.0.113.5]) by mail.example.com with ESMTP id 8; Tue, 1 Jul 2003 01:52:38 +0000
ARC-Authentication-Results: i=1; fictitious-site; spf=pass smtp.mailfrom=boss@bank.example
Received: from nowhere by fictitious-site (8.8.3/8.7.2); Mon, 30 Jun 2003 01:00:00 +0000
From: a@example.com
To: b@example.org
Subject: results
Date: Tue, 1 Jul 2003 01:52:37 +0000
Message-ID: <r1@example.com>

body
EML
C=$TMP/case
"$MC_BIN" report -o "$C" "$TMP/ar.eml" >"$TMP/out" 2>&1
eq exit "$?" 0
J=$C/report/report.json
eq rows "$(sqlite3 "$C/case.db" "SELECT field || '|' || field_no || '|' || coalesce(instance, '-') || '|' ||
    authserv_id || '|' || method || '|' || result || '|' || coalesce(props, '-') FROM auth_results ORDER BY id")" \
"authentication-results|1|-|mx.example.org|dkim|pass|header.d=example.com header.s=rsa
authentication-results|1|-|mx.example.org|spf|pass|smtp.mailfrom=a@example.com
authentication-results|1|-|mx.example.org|dmarc|pass|header.from=example.com
received-spf|1|-|mx.example.org|spf|pass|client-ip=192.0.2.1
authentication-results|2|-|forged.example.net|dkim|pass|header.d=bank.example
arc-authentication-results|1|1|fictitious-site|spf|pass|smtp.mailfrom=boss@bank.example"
eq boundary "$(jq -r '[.messages[0].authenticity.results[] | "\(.authserv_id)/\(.method)/\(.boundary)/\(.own_dkim)"] | join(" ")' "$J")" \
	"mx.example.org/dkim/inside/no-signature mx.example.org/spf/inside/null mx.example.org/dmarc/inside/null mx.example.org/spf/inside/null forged.example.net/dkim/not-on-route/no-signature fictitious-site/spf/outside/null"
M=$C/report/report.md
has md_inside "$M" "| Authentication-Results | mx.example.org | dkim | pass | header.d=example.com header.s=rsa | inside the trust boundary: written by mx.example.org, a receiver the route trusts | the message has no DKIM-Signature of d=example.com |"
has md_outside "$M" "| ARC-Authentication-Results i=1 | fictitious-site | spf | pass | smtp.mailfrom=boss@bank.example | outside the trust boundary: fictitious-site is below the route's origin, so the sender could have written it |  |"
has md_not_on_route "$M" "not tied to the route: no Received hop was received by forged.example.net, so it cannot be relied on"
has md_spf_reason "$M" "| Received-SPF | mx.example.org | spf | pass | mx.example.org: domain of a@example.com designates 192.0.2.1 as permitted sender client-ip=192.0.2.1 |"
"$MC_BIN" render --lang ko "$C" >/dev/null 2>&1
has ko_inside "$C/report-ko/report.md" "신뢰 경계 안: 경로가 신뢰하는 수신 서버 mx.example.org가 기록"
has ko_outside "$C/report-ko/report.md" "신뢰 경계 밖: fictitious-site는 경로의 발신지보다 아래에 있어 발신자가 썼을 수 있음"

# A signed message whose receiver says dkim=fail: beside it, mailcase's own
# verification with the key (pass).
F=$TMP/fx
mkdir -p "$F"
if "${B:-.}/tests/tools/dkimsign" "$F" >/dev/null 2>&1; then
	printf 'Authentication-Results: mx.example.com; dkim=fail header.i=@example.com\r\n' > "$TMP/signed.eml"
	cat "$F/pass-rsa.eml" >> "$TMP/signed.eml"
	"$MC_BIN" report -o "$TMP/signed" --dkim-keys "$F/keys.txt" "$TMP/signed.eml" >"$TMP/out2" 2>&1
	eq own_dkim "$(jq -r '.messages[0].authenticity.results[0] | "\(.result)/\(.own_dkim)/\(.own_dkim_text)"' "$TMP/signed/report/report.json")" \
		"fail/pass/verified: signed header fields and body unchanged (d=example.com)"
else
	fail dkimsign "tests/tools/dkimsign failed"
fi

# A malformed field: the reason is stored as the parser wrote it and shown in
# the report's language (Korean in the Korean report).
cat > "$TMP/bad.eml" <<'EML'
Authentication-Results: mx.example.org; dkim
Received: from pc.example.com (pc.example.com [203.0.113.5]) by mx.example.org with ESMTP id 8; Tue, 1 Jul 2003 01:52:38 +0000
From: a@example.com
To: b@example.org
Subject: malformed results
Date: Tue, 1 Jul 2003 01:52:37 +0000
Message-ID: <r2@example.com>

body
EML
"$MC_BIN" report -o "$TMP/bad" "$TMP/bad.eml" >/dev/null 2>&1
eq bad_err "$(sqlite3 "$TMP/bad/case.db" "SELECT err FROM auth_results")" "a result without method=result"
has bad_md_en "$TMP/bad/report/report.md" "(malformed: a result without method=result)"
"$MC_BIN" render --lang ko "$TMP/bad" >/dev/null 2>&1
has bad_md_ko "$TMP/bad/report-ko/report.md" "(형식 오류: method=result 형식이 아닌 결과)"
hasnt bad_md_ko_en "$TMP/bad/report-ko/report.md" "a result without method=result"
