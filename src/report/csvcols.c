/* csvcols.c - the columns of each report CSV, with their headings. */
#include "report/csvcols.h"

#include <stddef.h>
#include <string.h>

static const struct csv_col evidence_cols[] = {
	{ "no", "No.", "번호" },
	{ "name", "File", "파일" },
	{ "path", "Path as given", "입력 경로" },
	{ "abs_path", "Absolute path", "절대 경로" },
	{ "type", "Type", "유형" },
	{ "detail", "Detail", "상세" },
	{ "size", "Size (bytes)", "크기(바이트)" },
	{ "md5", "MD5", "MD5" },
	{ "sha1", "SHA-1", "SHA-1" },
	{ "sha256", "SHA-256", "SHA-256" },
	{ "first", "First packet (UTC)", "첫 패킷(UTC)" },
	{ "last", "Last packet (UTC)", "마지막 패킷(UTC)" },
	{ "packets", "Packets", "패킷 수" },
	{ "link_types", "Link types", "링크 유형" },
	{ "status_label", "Status", "상태" },
	{ "after_sha256", "SHA-256 after processing", "처리 후 SHA-256" },
	{ NULL, NULL, NULL },
};

static const struct csv_col flows_cols[] = {
	{ "no", "No.", "번호" },
	{ "evidence", "Evidence file", "증거 파일" },
	{ "client", "Client", "클라이언트" },
	{ "server", "Server", "서버" },
	{ "protocol", "Protocol", "프로토콜" },
	{ "mail", "Mail", "메일 여부" },
	{ "first", "First packet (UTC)", "첫 패킷(UTC)" },
	{ "last", "Last packet (UTC)", "마지막 패킷(UTC)" },
	{ "frames", "Frames", "프레임" },
	{ "pkts_c2s", "Packets client to server", "패킷(클라이언트→서버)" },
	{ "pkts_s2c", "Packets server to client", "패킷(서버→클라이언트)" },
	{ "bytes_c2s", "Bytes client to server", "바이트(클라이언트→서버)" },
	{ "bytes_s2c", "Bytes server to client", "바이트(서버→클라이언트)" },
	{ "payload_c2s", "Payload bytes client to server", "페이로드 바이트(클라이언트→서버)" },
	{ "payload_s2c", "Payload bytes server to client", "페이로드 바이트(서버→클라이언트)" },
	{ "retransmissions", "Retransmissions", "재전송" },
	{ "gaps", "Gaps", "누락 구간" },
	{ "gap_bytes", "Missing bytes", "누락 바이트" },
	{ "conflicts", "Conflicting retransmissions", "내용이 다른 재전송" },
	{ "syn_seen", "Handshake seen", "연결 수립 확인" },
	{ "end", "End", "종료" },
	{ NULL, NULL, NULL },
};

static const struct csv_col credentials_cols[] = {
	{ "no", "No.", "번호" },
	{ "protocol", "Protocol", "프로토콜" },
	{ "mechanism", "Mechanism", "인증 방식" },
	{ "authzid", "Authorization identity", "권한 부여 ID" },
	{ "user", "User", "사용자" },
	{ "domain", "Domain", "도메인" },
	{ "workstation", "Workstation", "워크스테이션" },
	{ "secret", "Secret", "비밀번호 등 인증 값" },
	{ "secret_kind_label", "Kind of secret", "인증 값 종류" },
	{ "crack_line", "Cracking hash line (hashcat format)", "크래킹용 해시 문자열(hashcat 형식)" },
	{ "details", "Details", "상세" },
	{ "verdict_label", "Server's verdict", "서버 판정" },
	{ "reply", "Server reply", "서버 응답" },
	{ "frames", "Frames", "프레임" },
	{ "time", "Time (UTC)", "시각(UTC)" },
	{ "client", "Client", "클라이언트" },
	{ "server", "Server", "서버" },
	{ "evidence", "Evidence file", "증거 파일" },
	{ NULL, NULL, NULL },
};

static const struct csv_col sessions_cols[] = {
	{ "no", "No.", "번호" },
	{ "protocol", "Protocol", "프로토콜" },
	{ "client", "Client", "클라이언트" },
	{ "server", "Server", "서버" },
	{ "evidence", "Evidence file", "증거 파일" },
	{ "flow", "Flow", "흐름" },
	{ "greeting", "Server banner", "서버 배너" },
	{ "server_name", "Server name", "서버 이름" },
	{ "server_software", "Server software", "서버 소프트웨어" },
	{ "helo", "Client name (HELO/EHLO)", "클라이언트 이름(HELO/EHLO)" },
	{ "capabilities.name", "Capabilities", "지원 기능" },
	{ "tls_label", "TLS", "TLS" },
	{ "tls_info", "TLS details", "TLS 상세" },
	{ "tls_frame", "TLS from frame", "TLS 시작 프레임" },
	{ "first", "First (UTC)", "시작(UTC)" },
	{ "last", "Last (UTC)", "끝(UTC)" },
	{ "frames", "Frames", "프레임" },
	{ "messages", "Messages", "메시지 수" },
	{ "notes", "Notes", "참고" },
	{ NULL, NULL, NULL },
};

static const struct csv_col messages_cols[] = {
	{ "no", "No.", "번호" },
	{ "source", "Source", "출처" },
	{ "evidence", "Evidence file", "증거 파일" },
	{ "provenance", "Position in the evidence", "증거 내 위치" },
	{ "frames", "Frames", "프레임" },
	{ "flow", "Flow", "흐름" },
	{ "stream_offset", "Stream offset", "스트림 오프셋" },
	{ "parent_no", "Inside message", "상위 메시지" },
	{ "date", "Date (UTC)", "날짜(UTC)" },
	{ "date_raw", "Date header", "Date 헤더" },
	{ "from", "From", "보낸 사람(From)" },
	{ "sender", "Sender", "Sender" },
	{ "reply_to", "Reply-To", "Reply-To" },
	{ "to", "To", "받는 사람(To)" },
	{ "cc", "Cc", "참조(Cc)" },
	{ "bcc", "Bcc", "숨은 참조(Bcc)" },
	{ "subject", "Subject", "제목" },
	{ "return_path", "Return-Path", "Return-Path" },
	{ "env_from", "Envelope sender (MAIL FROM)", "엔벨로프 발신자(MAIL FROM)" },
	{ "env_rcpt", "Envelope recipients (RCPT TO)", "엔벨로프 수신자(RCPT TO)" },
	{ "message_id", "Message-ID", "Message-ID" },
	{ "in_reply_to", "In-Reply-To", "In-Reply-To" },
	{ "references", "References", "References" },
	{ "x_mailer", "X-Mailer", "X-Mailer" },
	{ "x_originating_ip", "X-Originating-IP", "X-Originating-IP" },
	{ "auth_results", "Authentication-Results", "Authentication-Results" },
	{ "has_dkim", "DKIM signed", "DKIM 서명 여부" },
	{ "flags", "Flags", "특이 사항" },
	{ "incomplete_why", "Incomplete because", "불완전한 이유" },
	{ "partial", "Partial", "일부만 있음" },
	{ "size", "Size (bytes)", "크기(바이트)" },
	{ "raw_md5", "MD5", "MD5" },
	{ "raw_sha1", "SHA-1", "SHA-1" },
	{ "raw_sha256", "SHA-256", "SHA-256" },
	{ "raw_path", "Raw message file", "원본 메시지 파일" },
	{ "attachments.name", "Attachments", "첨부 파일" },
	{ "attachments.sha256", "Attachment SHA-256", "첨부 파일 SHA-256" },
	{ "body_lines.line", "Text body", "본문" },
	{ NULL, NULL, NULL },
};

static const struct csv_col files_cols[] = {
	{ "no", "No.", "번호" },
	{ "name", "Name", "이름" },
	{ "type", "Declared type", "선언된 유형" },
	{ "detected", "Detected type", "탐지된 유형" },
	{ "detected_desc", "Detected as", "탐지 설명" },
	{ "mismatch", "Type mismatch", "유형 불일치" },
	{ "size", "Size (bytes)", "크기(바이트)" },
	{ "md5", "MD5", "MD5" },
	{ "sha1", "SHA-1", "SHA-1" },
	{ "sha256", "SHA-256", "SHA-256" },
	{ "path", "Extracted file", "추출 파일" },
	{ "role", "Role", "역할" },
	{ "part", "MIME part", "MIME 파트" },
	{ "source", "Found in", "발견 위치" },
	{ "evidence", "Evidence file", "증거 파일" },
	{ "provenance", "Position in the evidence", "증거 내 위치" },
	{ NULL, NULL, NULL },
};

static const struct csv_col documents_cols[] = {
	{ "no", "No.", "번호" },
	{ "name", "Name", "이름" },
	{ "kind", "Kind", "종류" },
	{ "size", "Size (bytes)", "크기(바이트)" },
	{ "md5", "MD5", "MD5" },
	{ "sha256", "SHA-256", "SHA-256" },
	{ "depth", "Nesting depth", "중첩 깊이" },
	{ "parent_sha256", "Inside (SHA-256)", "상위 파일(SHA-256)" },
	{ "evidence", "Evidence file", "증거 파일" },
	{ "has_macros", "Macros", "매크로" },
	{ "encrypted", "Encrypted", "암호화" },
	{ "flags", "Flags", "특이 사항" },
	{ "title", "Title", "제목" },
	{ "subject", "Subject", "주제" },
	{ "creator", "Author", "작성자" },
	{ "last_modified_by", "Last modified by", "마지막 수정자" },
	{ "keywords", "Keywords", "키워드" },
	{ "description", "Description", "설명" },
	{ "revision", "Revision", "수정 번호" },
	{ "created", "Created (UTC)", "만든 날짜(UTC)" },
	{ "modified", "Modified (UTC)", "수정한 날짜(UTC)" },
	{ "last_printed", "Last printed (UTC)", "마지막 인쇄(UTC)" },
	{ "application", "Application", "응용 프로그램" },
	{ "app_version", "Application version", "응용 프로그램 버전" },
	{ "company", "Company", "회사" },
	{ "template", "Template", "서식 파일" },
	{ "total_time", "Editing time (minutes)", "편집 시간(분)" },
	{ "pages", "Pages", "쪽 수" },
	{ "words", "Words", "단어 수" },
	{ "text", "Text", "본문" },
	{ NULL, NULL, NULL },
};

static const struct csv_col timeline_cols[] = {
	{ "no", "No.", "번호" },
	{ "time", "Time (UTC)", "시각(UTC)" },
	{ "time_local", "Local time", "현지 시각" },
	{ "kind_label", "Event", "이벤트" },
	{ "text", "Description", "내용" },
	{ "source", "Source", "출처" },
	{ NULL, NULL, NULL },
};

static const struct csv_col log_cols[] = {
	{ "no", "No.", "번호" },
	{ "level_label", "Level", "수준" },
	{ "code", "Code", "코드" },
	{ "code_label", "Finding", "내용" },
	{ "source", "File", "파일" },
	{ "position", "Position", "위치" },
	{ "message", "Message", "메시지" },
	{ NULL, NULL, NULL },
};

static const struct {
	const char *table;
	const struct csv_col *cols;
} csv_tables[] = {
	{ "evidence", evidence_cols },
	{ "flows", flows_cols },
	{ "credentials", credentials_cols },
	{ "sessions", sessions_cols },
	{ "messages", messages_cols },
	{ "files", files_cols },
	{ "documents", documents_cols },
	{ "timeline", timeline_cols },
	{ "log", log_cols },
};

const struct csv_col *
csv_columns(const char *table)
{
	size_t i;

	for (i = 0; i < sizeof(csv_tables) / sizeof(csv_tables[0]); i++)
		if (strcmp(csv_tables[i].table, table) == 0)
			return csv_tables[i].cols;
	return NULL;
}
