#!/bin/sh
# The bundled sample case: its evidence is exactly what the generator
# writes, and its report (English and Korean) holds what cases/sample/README.md
# says the evidence holds.
. tests/cli/lib.sh
S=cases/sample
GEN=${B:-.}/tests/tools/mksample

if "$GEN" "$TMP" >"$TMP/gen.out" 2>&1; then
	cmp -s "$TMP/sample.pcap" "$S/sample.pcap" && pass pcap_regenerated || fail pcap_regenerated "differs from the generator's"
	cmp -s "$TMP/sample.mbox" "$S/sample.mbox" && pass mbox_regenerated || fail mbox_regenerated "differs from the generator's"
else
	fail generator "$(head -c 300 "$TMP/gen.out")"
fi

if ! command -v jq >/dev/null 2>&1; then
	skip report "jq is not installed"
	exit 0
fi
"$MC_BIN" report -o "$TMP/case" "$S/sample.pcap" "$S/sample.mbox" >"$TMP/case.out" 2>&1
eq report_exit "$?" 0
J=$TMP/case/report/report.json
eq credentials "$(jq -r '[.credentials[] | "\(.protocol) \(.mechanism) \(.user) \(.secret) \(.verdict) \(.frames)"] | join("|")' "$J")" \
	"SMTP LOGIN j.doe@example.net Tr0ub4dor&3 accepted 9,11|SMTP LOGIN j.doe@example.net Tr0ub4dor&3 accepted 35,37"
eq helo "$(jq -r '[.sessions[].helo] | join(" ")' "$J")" "examlaptop examlaptop"
eq subjects "$(jq -r '[.messages[].subject] | join("|")' "$J")" \
	"lunch next week|rendezvous|travel plans|지금 바로 확인해 보세요."
eq document "$(jq -r '.documents[0].name' "$J")" meeting.docx
eq document_text "$(jq -r '.documents[0].text' "$J" | head -1)" \
	"Meet me at the old lighthouse on the pier. Map below. Bring the blue folder."
eq document_image "$(jq -r '.documents[0].images[0].part' "$J")" word/media/image1.png
eq forged "$(jq -r '.summary.forged_routes[0].summary' "$J")" \
	"Likely origin sender.example.com [203.0.113.115]; the 2 hops below it look forged"
# The spam's hostile HTML body stays text in the page.
if grep -q '<script' "$TMP/case/report/report.html"; then
	fail html_inert "a <script> element reached report.html"
else
	pass html_inert
fi

# The Korean rendering of the same case: section titles in Korean.
cp -R "$TMP/case" "$TMP/case-ko"
"$MC_BIN" render --lang ko "$TMP/case-ko" >"$TMP/ko.out" 2>&1
eq render_ko_exit "$?" 0
K=$TMP/case-ko/report-ko/report.md
for title in "## 발견 사항 요약" "## 증거" "## 인증 정보" "## 메일 세션" "## 메시지" "## 문서" "## 추출된 파일" "## 타임라인" "## 네트워크 흐름" "## 처리 로그" "## 무결성" "## 용어 설명" "## 부록: 세션 기록" "## 부록: 문서 전문"; do
	has "ko_title_${title#\#\# }" "$K" "$title"
done
# A heading of printable ASCII only is an English one left over.
english=$(LC_ALL=C grep '^##* [ -~]*$' "$K" | head -3 | tr '\n' ' ')
[ -z "$english" ] && pass ko_no_english_titles || fail ko_no_english_titles "$english"
# Fixed words from the stages are in Korean too.
has ko_verdict "$K" "| 비밀번호 | 수락 | 235 2.7.0 Authentication successful |"
has ko_status "$K" "| EN10MB | 정상 |"
has ko_tls "$K" "| examlaptop | 없음 |"
# A transcript's message-data line names the message's number in the report.
eq transcript_message_no "$(jq -r '[.sessions[].transcript[] | select(.message_no != null) | .message_no] | join(" ")' "$J")" "1 2"
# Provenance and timeline texts in Korean: the words of places, the events.
has ko_provenance "$K" "sample.pcap 흐름 2, 스트림 오프셋 138, 프레임 45-50"
has ko_mbox_offset "$K" "sample.mbox 오프셋 663 (메일함의 메시지 2)"
has ko_timeline_login "$K" "| 로그인 | SMTP LOGIN 로그인, 사용자 j.doe@example.net, 192.0.2.23:49201 -> 198.51.100.25:587: 수락 | sample.pcap 프레임 9, 11 |"
has ko_timeline_flow "$K" "SMTP TCP 흐름 1 192.0.2.23:49201 -> 198.51.100.25:587 시작 (SYN)"
has ko_log_kind "$K" "| 1 | 정보 | 읽을 수 없는 Received 헤더 (hops.unparseable) | sample.mbox |"
# Key findings name a mailbox message's header recipients (it has no envelope).
eq key_finding_to "$(jq -r '.summary.messages[2].to' "$J")" "case.owner@example.net"
