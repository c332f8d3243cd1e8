/* Unit tests of mail/received.c and mail/maildate.c: Received header fields
 * of many real MTAs (written here in their published forms), dates in the
 * obsolete forms of RFC 5322 section 4.3, and hostile input. */
#include "check.h"
#include "mail/maildate.h"
#include "mail/received.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *
fmt_us(bool has, int64_t us, char b[32])
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (!has)
		return NULL;
	gmtime_r(&t, &tm);
	strftime(b, 32, "%Y-%m-%d %H:%M:%S", &tm);
	return b;
}

/* Expected fields; NULL means "must be absent". */
struct rcase {
	const char *hdr;
	const char *helo, *rdns, *ip, *by, *by_ip, *software, *protocol, *tls, *id, *for_addr, *date;
};

static const struct rcase cases[] = {
	/* 1-2: the corpus file spam-2007.eml */
	{ "from medentech.isdn.esat.net (medsvr01.medentech.com)[193.120.114.219]\n\tby relay03.avnetcom.co.kr(8.11.6/8.11.6) with ESMTP id 18qi5I-0002Is-00 for mkeh@avnetcom.co.kr; Wed, 05 Mar 2007 23:14:01 +0000",
	  "medentech.isdn.esat.net", "medsvr01.medentech.com", "193.120.114.219", "relay03.avnetcom.co.kr", NULL,
	  "sendmail 8.11.6", "ESMTP", NULL, "18qi5I-0002Is-00", "mkeh@avnetcom.co.kr", "2007-03-05 23:14:01" },
	{ "from test.com ([200.59.38.130]) by medsvr01.medentech.com\n\twith Microsoft SMTPSVC(5.0.2195.5329); with SMTP id h093ANn04454; for mkeh@avnetcom.co.kr; Wed, 5 Mar 2007 23:10:53 +0000",
	  "test.com", NULL, "200.59.38.130", "medsvr01.medentech.com", NULL,
	  "Microsoft SMTPSVC 5.0.2195.5329", "SMTP", NULL, "h093ANn04454", "mkeh@avnetcom.co.kr", "2007-03-05 23:10:53" },
	/* 3-5: forged-hops.eml */
	{ "from mail.bieberdorf.edu (mail.bieberdorf.edu [198.51.100.7])\n\tby mx.example.org (Postfix) with ESMTP id 4F2A31C0042\n\tfor <victim@example.org>; Tue, 14 Jan 2003 10:21:07 -0500 (EST)",
	  "mail.bieberdorf.edu", "mail.bieberdorf.edu", "198.51.100.7", "mx.example.org", NULL, "Postfix", "ESMTP",
	  NULL, "4F2A31C0042", "victim@example.org", "2003-01-14 15:21:07" },
	{ "from galangal.org ([104.128.23.115]) by mail.bieberdorf.edu (8.8.5) with SMTP id KAA01234;\n\tTue, 14 Jan 2003 10:20:55 -0500",
	  "galangal.org", NULL, "104.128.23.115", "mail.bieberdorf.edu", NULL, "sendmail 8.8.5", "SMTP", NULL,
	  "KAA01234", NULL, "2003-01-14 15:20:55" },
	{ "from nowhere by fictitious-site (8.8.3/8.7.2) with SMTP id AAA00001; Mon, 13 Jan 2003 09:00:00 -0500",
	  "nowhere", NULL, NULL, "fictitious-site", NULL, "sendmail 8.8.3", "SMTP", NULL, "AAA00001", NULL,
	  "2003-01-13 14:00:00" },
	/* 6: Postfix with TLS (RFC 3207) and envelope */
	{ "from mail-ed1-f41.google.com (mail-ed1-f41.google.com [209.85.208.41])\r\n\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)\r\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)\r\n\t(No client certificate requested)\r\n\tby mx1.example.net (Postfix) with ESMTPS id 4Lq0Xy2Jm3z9sPb\r\n\tfor <alice@example.net>; Sat, 28 May 2022 09:12:44 +0200 (CEST)",
	  "mail-ed1-f41.google.com", "mail-ed1-f41.google.com", "209.85.208.41", "mx1.example.net", NULL, "Postfix",
	  "ESMTPS", "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256 (128/128 bits)\r\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256",
	  "4Lq0Xy2Jm3z9sPb", "alice@example.net", "2022-05-28 07:12:44" },
	/* 7: Postfix, no reverse DNS */
	{ "from helo.example (unknown [203.0.113.9]) by mail.example.com (Postfix) with ESMTP id 1A2B3C; Mon, 2 Jan 2017 10:00:00 +0100",
	  "helo.example", NULL, "203.0.113.9", "mail.example.com", NULL, "Postfix", "ESMTP", NULL, "1A2B3C", NULL,
	  "2017-01-02 09:00:00" },
	/* 8: Postfix local pickup */
	{ "by mail.example.com (Postfix, from userid 1000)\n\tid 7D3E21E0FA; Tue, 3 Jan 2017 12:01:02 -0800 (PST)",
	  NULL, NULL, NULL, "mail.example.com", NULL, "Postfix", NULL, NULL, "7D3E21E0FA", NULL, "2017-01-03 20:01:02" },
	/* 9: Postfix, authenticated submission */
	{ "from [192.168.1.20] (dsl-88-1-2-3.example.net [88.1.2.3])\n\t(Authenticated sender: bob@example.com)\n\tby smtp.example.com (Postfix) with ESMTPSA id 9C0F8A1; Thu, 10 Sep 2020 14:05:00 +0000 (UTC)",
	  "[192.168.1.20]", "dsl-88-1-2-3.example.net", "88.1.2.3", "smtp.example.com", NULL, "Postfix", "ESMTPSA",
	  NULL, "9C0F8A1", NULL, "2020-09-10 14:05:00" },
	/* 10: sendmail with ident and (may be forged) */
	{ "from relay.example.org (root@relay.example.org [192.0.2.44] (may be forged))\n\tby host.example.edu (8.13.8/8.13.8) with ESMTP id k9ABCD12345678\n\tfor <carol@example.edu>; Thu, 12 Oct 2006 08:15:30 -0400",
	  "relay.example.org", "relay.example.org", "192.0.2.44", "host.example.edu", NULL, "sendmail 8.13.8", "ESMTP",
	  NULL, "k9ABCD12345678", "carol@example.edu", "2006-10-12 12:15:30" },
	/* 11: sendmail local submission */
	{ "(from dave@localhost)\n\tby host.example.edu (8.14.4/8.14.4/Submit) id s1F9abc012345; Sat, 15 Feb 2014 09:10:11 GMT",
	  NULL, NULL, NULL, "host.example.edu", NULL, "sendmail 8.14.4", NULL, NULL, "s1F9abc012345", NULL,
	  "2014-02-15 09:10:11" },
	/* 12: sendmail, localhost */
	{ "from localhost (localhost [127.0.0.1])\n\tby mail.example.com (8.15.2/8.15.2/Debian-14~deb10u1) with ESMTP id 0A1B2C3D; Fri, 1 Mar 2019 01:02:03 +0900",
	  "localhost", "localhost", "127.0.0.1", "mail.example.com", NULL, "sendmail 8.15.2", "ESMTP", NULL, "0A1B2C3D",
	  NULL, "2019-02-28 16:02:03" },
	/* 13: sendmail with the old "EST" zone and two-digit year (RFC 5322 section 4.3) */
	{ "from foo.example.com (foo.example.com [192.0.2.1]) by bar.example.com (8.6.12/8.6.9) with SMTP id KAA01234; Mon, 3 Jul 95 10:02:44 EST",
	  "foo.example.com", "foo.example.com", "192.0.2.1", "bar.example.com", NULL, "sendmail 8.6.12", "SMTP", NULL,
	  "KAA01234", NULL, "1995-07-03 15:02:44" },
	/* 14: Exim with helo= and TLS */
	{ "from mail.example.org ([198.51.100.23] helo=smtp.example.org)\n\tby mx.example.co.uk with esmtps (TLS1.2) tls TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n\t(Exim 4.92)\n\t(envelope-from <eve@example.org>)\n\tid 1hXyZa-0003Kb-Qr\n\tfor frank@example.co.uk; Wed, 05 Jun 2019 16:20:01 +0100",
	  "smtp.example.org", "mail.example.org", "198.51.100.23", "mx.example.co.uk", NULL, "Exim 4.92", "ESMTPS",
	  "TLS1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "1hXyZa-0003Kb-Qr", "frank@example.co.uk", "2019-06-05 15:20:01" },
	/* 15: Exim, no reverse DNS */
	{ "from [203.0.113.77] (helo=ylmf-pc)\n\tby mx.example.com with esmtp (Exim 4.80)\n\t(envelope-from <x@example.ru>)\n\tid 1U7Ab2-0001xY-Ab; Sat, 16 Feb 2013 03:04:05 +0000",
	  "ylmf-pc", NULL, "203.0.113.77", "mx.example.com", NULL, "Exim 4.80", "ESMTP", NULL, "1U7Ab2-0001xY-Ab", NULL,
	  "2013-02-16 03:04:05" },
	/* 16: Exim local */
	{ "from www-data by web1.example.com with local (Exim 4.94.2)\n\t(envelope-from <www-data@web1.example.com>)\n\tid 1mAbCd-000Xyz-9Q; Mon, 04 Oct 2021 11:22:33 +0000",
	  "www-data", NULL, NULL, "web1.example.com", NULL, "Exim 4.94.2", "local", NULL, "1mAbCd-000Xyz-9Q", NULL,
	  "2021-10-04 11:22:33" },
	/* 17: Exim with port and ESMTPSA */
	{ "from [192.0.2.200] (port=51234 helo=[10.0.0.3])\n\tby server.example.net with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.95)\n\t(envelope-from <g@example.net>)\n\tid 1n2B3c-0004Dd-Ee; Tue, 01 Feb 2022 08:00:00 -0600",
	  "[10.0.0.3]", NULL, "192.0.2.200", "server.example.net", NULL, "Exim 4.95", "ESMTPSA",
	  "TLS1.3 TLS_AES_256_GCM_SHA384", "1n2B3c-0004Dd-Ee", NULL, "2022-02-01 14:00:00" },
	/* 18: qmail from network */
	{ "from unknown (HELO mail.example.com) (192.0.2.99)\n  by mx.example.net with SMTP; 24 Aug 2005 13:37:00 -0000",
	  "mail.example.com", NULL, "192.0.2.99", "mx.example.net", NULL, NULL, "SMTP", NULL, NULL, NULL,
	  "2005-08-24 13:37:00" },
	/* 19: qmail invoked */
	{ "(qmail 12345 invoked from network); 24 Aug 2005 13:36:59 -0000",
	  NULL, NULL, NULL, NULL, NULL, "qmail", NULL, NULL, NULL, NULL, "2005-08-24 13:36:59" },
	/* 20: qmail with rdns and bracketed ip */
	{ "from host.example.org (HELO laptop) ([198.51.100.50])\n          (envelope-sender <h@example.org>)\n          by smtp.example.com (qmail-ldap-1.03) with SMTP\n          for <i@example.com>; 7 Nov 2006 21:00:01 -0000",
	  "laptop", "host.example.org", "198.51.100.50", "smtp.example.com", NULL, "qmail", "SMTP", NULL, NULL,
	  "i@example.com", "2006-11-07 21:00:01" },
	/* 21: Microsoft SMTPSVC with bracketed address */
	{ "from mail.example.com ([10.1.1.5]) by exch1.corp.example.com with Microsoft SMTPSVC(6.0.3790.4675);\n\t Tue, 9 Aug 2011 10:11:12 -0700",
	  "mail.example.com", NULL, "10.1.1.5", "exch1.corp.example.com", NULL, "Microsoft SMTPSVC 6.0.3790.4675", "SMTP",
	  NULL, NULL, NULL, "2011-08-09 17:11:12" },
	/* 22: Exchange 2010 internal */
	{ "from EXCH01.corp.example.com (10.2.3.4) by EXCH02.corp.example.com (10.2.3.5)\n with Microsoft SMTP Server (TLS) id 14.3.319.2; Wed, 16 Mar 2016 09:08:07 +0100",
	  "EXCH01.corp.example.com", NULL, "10.2.3.4", "EXCH02.corp.example.com", "10.2.3.5", "Microsoft SMTP Server 14.3.319.2",
	  "SMTP", "TLS", "14.3.319.2", NULL, "2016-03-16 08:08:07" },
	/* 23: Exchange mapi with IPv6 link-local and zone */
	{ "from EXCH01.corp.example.com ([fe80::a1b2:c3d4:e5f6:1234%12]) by EXCH03.corp.example.com ([::1]) with mapi id 14.03.0210.002; Thu, 17 Mar 2016 10:00:00 +0000",
	  "EXCH01.corp.example.com", NULL, "fe80::a1b2:c3d4:e5f6:1234", "EXCH03.corp.example.com", "::1", NULL, "MAPI",
	  NULL, "14.03.0210.002", NULL, "2016-03-17 10:00:00" },
	/* 24: Outlook.com / Exchange Online, IPv6 without brackets */
	{ "from BN8PR12MB3345.namprd12.prod.outlook.com (2603:10b6:408:6e::21) by MN2PR12MB4567.namprd12.prod.outlook.com (2603:10b6:208:1c0::12) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.5250.14; Fri, 20 May 2022 12:34:56 +0000",
	  "BN8PR12MB3345.namprd12.prod.outlook.com", NULL, "2603:10b6:408:6e::21", "MN2PR12MB4567.namprd12.prod.outlook.com",
	  "2603:10b6:208:1c0::12", "Microsoft SMTP Server 15.20.5250.14", "SMTP",
	  "version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "15.20.5250.14", NULL, "2022-05-20 12:34:56" },
	/* 25: protection.outlook.com edge */
	{ "from mail-dm6nam10on2100.outbound.protection.outlook.com (HELO NAM10-DM6-obe.outbound.protection.outlook.com) ([40.107.93.100])\n  by esa1.example.com with ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384; 20 May 2022 08:35:01 -0400",
	  "NAM10-DM6-obe.outbound.protection.outlook.com", "mail-dm6nam10on2100.outbound.protection.outlook.com",
	  "40.107.93.100", "esa1.example.com", NULL, NULL, "ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384", NULL, NULL, NULL,
	  "2022-05-20 12:35:01" },
	/* 26: Outlook.com (hotmail) by without software comment */
	{ "from DB7PR03MB4123.eurprd03.prod.outlook.com ([fe80::1d2:3e4f:5a6b:7c8d]) by DB7PR03MB4123.eurprd03.prod.outlook.com ([fe80::1d2:3e4f:5a6b:7c8d%6]) with mapi id 15.20.2538.027; Mon, 16 Dec 2019 10:11:12 +0000",
	  "DB7PR03MB4123.eurprd03.prod.outlook.com", NULL, "fe80::1d2:3e4f:5a6b:7c8d", "DB7PR03MB4123.eurprd03.prod.outlook.com",
	  "fe80::1d2:3e4f:5a6b:7c8d", "Outlook.com", "MAPI", NULL, "15.20.2538.027", NULL, "2019-12-16 10:11:12" },
	/* 27: Gmail, internal hop with IPv6 receiver and no from */
	{ "by 2002:a05:6a10:a0c4:0:0:0:0 with SMTP id l4csp1234567pxa;\r\n        Tue, 3 Mar 2020 07:08:09 -0800 (PST)",
	  NULL, NULL, NULL, "2002:a05:6a10:a0c4:0:0:0:0", "2002:a05:6a10:a0c4::", NULL, "SMTP", NULL, "l4csp1234567pxa", NULL,
	  "2020-03-03 15:08:09" },
	/* 28: Gmail MX */
	{ "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\r\n        by mx.google.com with SMTPS id a1sor123456qkb.12.2020.03.03.07.08.08\r\n        for <j@gmail.com>\r\n        (Google Transport Security);\r\n        Tue, 03 Mar 2020 07:08:09 -0800 (PST)",
	  "mail-sor-f41.google.com", "mail-sor-f41.google.com", "209.85.220.41", "mx.google.com", NULL, "Google", "SMTPS",
	  NULL, "a1sor123456qkb.12.2020.03.03.07.08.08", "j@gmail.com", "2020-03-03 15:08:09" },
	/* 29: Gmail submission with TLS comment after the id */
	{ "from [192.168.0.10] ([198.51.100.8])\n        by smtp.gmail.com with ESMTPSA id k12sm987654wrx.33.2021.06.01.10.11.12\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        Tue, 01 Jun 2021 10:11:12 -0700 (PDT)",
	  "[192.168.0.10]", NULL, "198.51.100.8", "smtp.gmail.com", NULL, "Google", "ESMTPSA",
	  "version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256", "k12sm987654wrx.33.2021.06.01.10.11.12", NULL,
	  "2021-06-01 17:11:12" },
	/* 30: Gmail web (HTTP) */
	{ "by 10.112.44.10 with HTTP; Mon, 11 Feb 2013 12:13:14 -0800 (PST)",
	  NULL, NULL, NULL, "10.112.44.10", "10.112.44.10", NULL, "HTTP", NULL, NULL, NULL, "2013-02-11 20:13:14" },
	/* 31: Yahoo web via HTTP */
	{ "from [198.51.100.3] by web120.mail.ne1.yahoo.com via HTTP; Fri, 12 Mar 2010 04:05:06 PST",
	  "[198.51.100.3]", NULL, "198.51.100.3", "web120.mail.ne1.yahoo.com", NULL, "Yahoo", "HTTP", NULL, NULL, NULL,
	  "2010-03-12 12:05:06" },
	/* 32: Yahoo inbound with EHLO and bare address comment */
	{ "from 127.0.0.1  (EHLO mail-wr1-f54.google.com) (209.85.221.54)\n  by mta4120.mail.gq1.yahoo.com with SMTPS; Tue, 01 Jan 2019 00:00:01 +0000",
	  "mail-wr1-f54.google.com", NULL, "209.85.221.54", "mta4120.mail.gq1.yahoo.com", NULL, "Yahoo", "SMTPS", NULL,
	  NULL, NULL, "2019-01-01 00:00:01" },
	/* 33: Yahoo sonic, bare IP sender */
	{ "from 10.217.135.45 by sonic304.consmr.mail.bf2.yahoo.com with HTTP; Wed, 9 Oct 2019 19:20:21 +0000",
	  "10.217.135.45", NULL, "10.217.135.45", "sonic304.consmr.mail.bf2.yahoo.com", NULL, "Yahoo", "HTTP", NULL, NULL,
	  NULL, "2019-10-09 19:20:21" },
	/* 34: AOL submission (as cia-mc06 would write it) */
	{ "from annlaptop (unknown [192.168.1.159]) by cia-mc06.mx.aol.com (v123.4) with ESMTPA id MAILCIAMC062-5a2b4ad0a4a3123; Sat, 10 Oct 2009 09:35:31 -0400",
	  "annlaptop", NULL, "192.168.1.159", "cia-mc06.mx.aol.com", NULL, "AOL", "ESMTPA", NULL,
	  "MAILCIAMC062-5a2b4ad0a4a3123", NULL, "2009-10-10 13:35:31" },
	/* 35: AOL relay */
	{ "from mtaout-mb05.r1000.mx.aol.com (mtaout-mb05.r1000.mx.aol.com [172.29.41.69])\n\tby omr-m08.mx.aol.com (Outbound Mail Relay) with ESMTP id 9E0C2700003B; Sun, 11 Oct 2009 12:00:00 -0400 (EDT)",
	  "mtaout-mb05.r1000.mx.aol.com", "mtaout-mb05.r1000.mx.aol.com", "172.29.41.69", "omr-m08.mx.aol.com", NULL, "AOL",
	  "ESMTP", NULL, "9E0C2700003B", NULL, "2009-10-11 16:00:00" },
	/* 36: Courier with IPv4-mapped address and id after the date */
	{ "from host.example.org ([::ffff:192.0.2.77])\n  (AUTH: LOGIN k@example.org, TLS: TLSv1/SSLv3,256bits,AES256-SHA)\n  by mail.example.com with ESMTPSA; Tue, 12 Feb 2019 10:11:12 -0500\n  id 00000000000A1234.000000005C62E1B0.00005C0A",
	  "host.example.org", NULL, "192.0.2.77", "mail.example.com", NULL, "Courier", "ESMTPSA",
	  "TLSv1/SSLv3,256bits,AES256-SHA", "00000000000A1234.000000005C62E1B0.00005C0A", NULL, "2019-02-12 15:11:12" },
	/* 37: Dovecot LMTP */
	{ "from mx.example.com\n\tby imap.example.com with LMTP\n\tid 8K5tDX3TK1xrMgAA0J78UA\n\t(envelope-from <l@example.org>)\n\tfor <m@example.com>; Tue, 01 Jan 2019 12:00:00 +0100",
	  "mx.example.com", NULL, NULL, "imap.example.com", NULL, "Dovecot LMTP", "LMTP", NULL, "8K5tDX3TK1xrMgAA0J78UA",
	  "m@example.com", "2019-01-01 11:00:00" },
	/* 38: Dovecot stated */
	{ "from mail.example.com ([192.0.2.5])\n\tby imap.example.com (Dovecot) with LMTP id AbCdEf\n\tfor <n@example.com>; Tue, 01 Jan 2019 12:00:00 +0000",
	  "mail.example.com", NULL, "192.0.2.5", "imap.example.com", NULL, "Dovecot", "LMTP", NULL, "AbCdEf", "n@example.com",
	  "2019-01-01 12:00:00" },
	/* 39: Cyrus LMTPA */
	{ "from smtp.example.com ([unix socket])\n\t by imap.example.com (Cyrus v2.4.17-Fedora-RPM-2.4.17-13.el7) with LMTPA;\n\t Wed, 02 Jan 2019 03:04:05 +0000",
	  "smtp.example.com", NULL, NULL, "imap.example.com", NULL, "Cyrus v2.4.17-Fedora-RPM-2.4.17-13.el7", "LMTPA",
	  NULL, NULL, NULL, "2019-01-02 03:04:05" },
	/* 40: IPv6 literal with tag (RFC 5321 section 4.1.3) */
	{ "from [IPv6:2001:db8::25] (unknown [IPv6:2001:db8::25]) by mail.example.com (Postfix) with ESMTPSA id 3B2; Thu, 5 Mar 2015 06:07:08 +0000",
	  "[IPv6:2001:db8::25]", NULL, "2001:db8::25", "mail.example.com", NULL, "Postfix", "ESMTPSA", NULL, "3B2", NULL,
	  "2015-03-05 06:07:08" },
	/* 41: unnamed sender */
	{ "from [1.2.3.4] by relay.example.com; Sun, 1 Jun 2008 00:00:00 +0000",
	  "[1.2.3.4]", NULL, "1.2.3.4", "relay.example.com", NULL, NULL, NULL, NULL, NULL, NULL, "2008-06-01 00:00:00" },
	/* 42: EHLO comment (Exim-style HELO spelling variations) */
	{ "from rdns.example.net (EHLO pc01) (198.51.100.9) by mx.example.com with ESMTP; 1 Jun 08 00:00:00 +0000",
	  "pc01", "rdns.example.net", "198.51.100.9", "mx.example.com", NULL, NULL, "ESMTP", NULL, NULL, NULL,
	  "2008-06-01 00:00:00" },
	/* 43: asctime date, military zone, odd spacing */
	{ "from a.example (a.example [192.0.2.3]) by b.example with SMTP id X1;   Sun Jun  1 12:00:00 2008",
	  "a.example", "a.example", "192.0.2.3", "b.example", NULL, NULL, "SMTP", NULL, "X1", NULL, "2008-06-01 12:00:00" },
	/* 44: comments everywhere, nested */
	{ "from c.example (c.example [192.0.2.4] (nested (deeper) comment)) by d.example (sendmail 8.12.11) with ESMTP id Y2 for <o@d.example> (single-drop); Mon, 31 Dec 2001 23:59:59 +0000 (GMT)",
	  "c.example", "c.example", "192.0.2.4", "d.example", NULL, "sendmail 8.12.11", "ESMTP", NULL, "Y2", "o@d.example",
	  "2001-12-31 23:59:59" },
	/* 45: named zone KST and three-digit year */
	{ "from e.example ([192.0.2.5]) by f.example with ESMTP; Tue, 7 Jan 103 09:00:00 KST",
	  "e.example", NULL, "192.0.2.5", "f.example", NULL, NULL, "ESMTP", NULL, NULL, NULL, "2003-01-07 00:00:00" },
};

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

#define FIELD(name, got, want) do { \
	if (!same(got, want)) { \
		check_fail(__FILE__, __LINE__, "case %zu %s: \"%s\", expected \"%s\"", i + 1, name, \
		    (got) ? (got) : "(null)", (want) ? (want) : "(null)"); \
		received_clear(&r); return; } \
} while (0)

TEST(received_formats)
{
	CHECK(sizeof(cases) / sizeof(cases[0]) >= 40);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rcase *c = &cases[i];
		struct received r;
		char db[32];

		received_parse(c->hdr, strlen(c->hdr), &r);
		if (!r.parsed) {
			check_fail(__FILE__, __LINE__, "case %zu not parsed", i + 1);
			received_clear(&r);
			return;
		}
		FIELD("helo", r.from_helo, c->helo);
		FIELD("rdns", r.from_rdns, c->rdns);
		FIELD("ip", r.from_ip, c->ip);
		FIELD("by", r.by_host, c->by);
		FIELD("by_ip", r.by_ip, c->by_ip);
		FIELD("software", r.software, c->software);
		FIELD("protocol", r.protocol, c->protocol);
		FIELD("tls", r.tls, c->tls);
		FIELD("id", r.id, c->id);
		FIELD("for", r.for_addr, c->for_addr);
		FIELD("date", fmt_us(r.has_date, r.date_us, db), c->date);
		received_clear(&r);
	}
}

TEST(received_unparseable)
{
	static const char *const bad[] = {
		"No Information Here, Go Away!", "", ";", "(((((", "[[[[", "garbage; not a date",
		"\xff\xfe\x00\x01", "((((((((((((((((((((((((((((((((((((((((((((((((((((x",
	};
	struct received r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		received_parse(bad[i], i == 6 ? 4 : strlen(bad[i]), &r);
		CHECK(!r.parsed);
		received_clear(&r);
	}
	received_parse("from x", 6, &r);                 /* from clause, no date */
	CHECK(r.parsed);
	CHECK_STR(r.from_helo, "x");
	CHECK(!r.has_date);
	received_clear(&r);
}

TEST(received_ceiling_and_token_flood)
{
	size_t n = RECEIVED_MAX + 10;
	char *s = malloc(n + 1);
	struct received r;

	memset(s, 'a', n);
	s[n] = '\0';
	received_parse(s, n, &r);
	CHECK(!r.parsed);                                /* over the ceiling: left to the caller */
	received_clear(&r);
	/* many tokens: the first RECEIVED_TOKENS are read, nothing overruns */
	for (size_t i = 0; i + 2 < RECEIVED_MAX; i += 2) {
		s[i] = 'x';
		s[i + 1] = ' ';
	}
	memcpy(s, "from h by b ", 12);
	received_parse(s, RECEIVED_MAX, &r);
	CHECK(r.parsed);
	CHECK_STR(r.from_helo, "h");
	CHECK_STR(r.by_host, "b");
	received_clear(&r);
	free(s);
}

TEST(maildate_forms)
{
	static const struct { const char *s; const char *want; bool known; } d[] = {
		{ "Wed, 05 Mar 2007 23:14:01 +0000", "2007-03-05 23:14:01", true },
		{ "5 Mar 2007 23:10:55 +0000", "2007-03-05 23:10:55", true },
		{ "Sat, 10 Oct 2009 07:35:30 -0600", "2009-10-10 13:35:30", true },
		{ "Tue, 14 Jan 2003 10:21:07 -0500 (EST)", "2003-01-14 15:21:07", true },
		{ "Mon, 3 Jul 95 10:02:44 EST", "1995-07-03 15:02:44", true },
		{ "Mon, 3 Jul 05 10:02 GMT", "2005-07-03 10:02:00", true },
		{ "3 Jul 105 10:02:00 UT", "2005-07-03 10:02:00", true },
		{ "Thu, 1 Jan 2004 00:00:00 -0000", "2004-01-01 00:00:00", false },
		{ "Thu, 1 Jan 2004 05:00:00 Z", "2004-01-01 05:00:00", true },
		{ "Thu, 1 Jan 2004 05:00:00 R", "2004-01-01 05:00:00", false },
		{ "Thu,  1 (day) Jan (month) 2004 05:00:00 +0130", "2004-01-01 03:30:00", true },
		{ "Thu Jan  1 05:00:00 2004", "2004-01-01 05:00:00", false },
		{ "Thu Jan  1 05:00:00 PST 2004", "2004-01-01 13:00:00", true },
		{ "Tue, 29 Feb 2000 12:00:00 +0900", "2000-02-29 03:00:00", true },
		{ "Sat, 31 Dec 2016 23:59:60 +0000", "2016-12-31 23:59:59", true },
	};
	static const char *const bad[] = {
		"", "Thu", "Thu, 30 Feb 2001 00:00:00 +0000", "32 Jan 2001 00:00:00 +0000",
		"1 Foo 2001 00:00:00 +0000", "1 Jan 2001 24:00:00 +0000", "1 Jan 2001 1:2:3:4 +0000",
		"1 Jan 1899 00:00:00 +0000", "1 Jan 20011 00:00:00 +0000",
	};

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		int64_t us = 0;
		bool known = !d[i].known;
		char b[32];

		if (!maildate_parse(d[i].s, strlen(d[i].s), &us, &known)) {
			check_fail(__FILE__, __LINE__, "date %zu not parsed: %s", i, d[i].s);
			return;
		}
		if (strcmp(fmt_us(true, us, b), d[i].want) != 0 || known != d[i].known) {
			check_fail(__FILE__, __LINE__, "date %zu: %s (known %d), expected %s", i, b, known, d[i].want);
			return;
		}
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t us;

		if (maildate_parse(bad[i], strlen(bad[i]), &us, NULL)) {
			check_fail(__FILE__, __LINE__, "bad date %zu parsed: %s", i, bad[i]);
			return;
		}
	}
}

/* An instant as "2003-07-01T01:52:37Z", with ".250000" when it has a
 * fraction. */
static void
iso_us(int64_t us, char b[48])
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char s[32];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	if (us % 1000000 != 0)
		snprintf(b, 48, "%s.%06dZ", s, (int)(us % 1000000));
	else
		snprintf(b, 48, "%sZ", s);
}

struct dcase {
	const char *s;
	const char *want;          /* UTC instant */
	enum maildate_zone zone;
	const char *zone_text;     /* the zone as written; NULL: none */
};

static bool
dcase_check(const struct dcase *d, bool (*read)(const char *, size_t, struct maildate *), size_t i)
{
	struct maildate md;
	char b[48];

	if (!read(d->s, strlen(d->s), &md)) {
		check_fail(__FILE__, __LINE__, "date %zu not parsed: %s", i, d->s);
		return false;
	}
	iso_us(md.us, b);
	if (strcmp(b, d->want) != 0 || md.zone != d->zone) {
		check_fail(__FILE__, __LINE__, "date %zu %s: %s zone %s, expected %s zone %s", i, d->s, b,
		    maildate_zone_name(md.zone), d->want, maildate_zone_name(d->zone));
		return false;
	}
	if (d->zone_text != NULL ? md.zone_len != strlen(d->zone_text) ||
	    strncmp(d->s + md.zone_off, d->zone_text, md.zone_len) != 0 : md.zone_len != 0) {
		check_fail(__FILE__, __LINE__, "date %zu %s: zone text \"%.*s\", expected \"%s\"", i, d->s,
		    (int)md.zone_len, d->s + md.zone_off, d->zone_text != NULL ? d->zone_text : "");
		return false;
	}
	return true;
}

/* Every zone name of RFC 5322 section 4.3 and the ones mail carries (issue
 * 12), on one local time: Tue, 1 Jul 2003 10:52:37. */
TEST(maildate_zone_names)
{
#define K MAILDATE_ZONE_KNOWN
#define U MAILDATE_ZONE_UNTRUSTED
	static const struct dcase d[] = {
		{ "Tue, 1 Jul 2003 10:52:37 UT", "2003-07-01T10:52:37Z", K, "UT" },
		{ "Tue, 1 Jul 2003 10:52:37 GMT", "2003-07-01T10:52:37Z", K, "GMT" },
		{ "Tue, 1 Jul 2003 10:52:37 UTC", "2003-07-01T10:52:37Z", K, "UTC" },
		{ "Tue, 1 Jul 2003 10:52:37 EST", "2003-07-01T15:52:37Z", K, "EST" },
		{ "Tue, 1 Jul 2003 10:52:37 EDT", "2003-07-01T14:52:37Z", K, "EDT" },
		{ "Tue, 1 Jul 2003 10:52:37 CST", "2003-07-01T16:52:37Z", K, "CST" },
		{ "Tue, 1 Jul 2003 10:52:37 CDT", "2003-07-01T15:52:37Z", K, "CDT" },
		{ "Tue, 1 Jul 2003 10:52:37 MST", "2003-07-01T17:52:37Z", K, "MST" },
		{ "Tue, 1 Jul 2003 10:52:37 MDT", "2003-07-01T16:52:37Z", K, "MDT" },
		{ "Tue, 1 Jul 2003 10:52:37 PST", "2003-07-01T18:52:37Z", K, "PST" },
		{ "Tue, 1 Jul 2003 10:52:37 PDT", "2003-07-01T17:52:37Z", K, "PDT" },
		{ "Tue, 1 Jul 2003 10:52:37 KST", "2003-07-01T01:52:37Z", K, "KST" },
		{ "Tue, 1 Jul 2003 10:52:37 JST", "2003-07-01T01:52:37Z", K, "JST" },
		{ "Tue, 1 Jul 2003 10:52:37 CET", "2003-07-01T09:52:37Z", K, "CET" },
		{ "Tue, 1 Jul 2003 10:52:37 CEST", "2003-07-01T08:52:37Z", K, "CEST" },
		{ "Tue, 1 Jul 2003 10:52:37 BST", "2003-07-01T09:52:37Z", K, "BST" },
		{ "Tue, 1 Jul 2003 10:52:37 IST", "2003-07-01T05:22:37Z", K, "IST" },
		{ "Tue, 1 Jul 2003 10:52:37 HKT", "2003-07-01T02:52:37Z", K, "HKT" },
		{ "Tue, 1 Jul 2003 10:52:37 SGT", "2003-07-01T02:52:37Z", K, "SGT" },
		{ "Tue, 1 Jul 2003 10:52:37 kst", "2003-07-01T01:52:37Z", K, "kst" },
		{ "Tue, 1 Jul 2003 10:52:37 +0900 (KST)", "2003-07-01T01:52:37Z", K, "+0900" },
		{ "Tue, 1 Jul 2003 10:52:37 +09:00", "2003-07-01T01:52:37Z", K, "+09:00" },
		{ "Tue, 1 Jul 2003 10:52:37 +0530", "2003-07-01T05:22:37Z", K, "+0530" },
		{ "Tue, 1 Jul 2003 10:52:37 +0000", "2003-07-01T10:52:37Z", K, "+0000" },
		/* RFC 5322 section 3.3: -0000, no zone information */
		{ "Tue, 1 Jul 2003 10:52:37 -0000", "2003-07-01T10:52:37Z", U, "-0000" },
		/* section 4.3: military zones other than Z are -0000 */
		{ "Tue, 1 Jul 2003 10:52:37 Z", "2003-07-01T10:52:37Z", K, "Z" },
		{ "Tue, 1 Jul 2003 10:52:37 A", "2003-07-01T10:52:37Z", U, "A" },
		{ "Tue, 1 Jul 2003 10:52:37 m", "2003-07-01T10:52:37Z", U, "m" },
		{ "Tue, 1 Jul 2003 10:52:37 Y", "2003-07-01T10:52:37Z", U, "Y" },
		/* unknown names are said to be unknown, never taken for UTC unsaid */
		{ "Tue, 1 Jul 2003 10:52:37 XYZ", "2003-07-01T10:52:37Z", MAILDATE_ZONE_UNKNOWN, "XYZ" },
		{ "Tue, 1 Jul 2003 10:52:37 J", "2003-07-01T10:52:37Z", MAILDATE_ZONE_UNKNOWN, "J" },
		{ "Tue, 1 Jul 2003 10:52:37 +09", "2003-07-01T10:52:37Z", MAILDATE_ZONE_UNKNOWN, "+09" },
		{ "Tue, 1 Jul 2003 10:52:37", "2003-07-01T10:52:37Z", MAILDATE_ZONE_NONE, NULL },
	};
#undef K
#undef U
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (!dcase_check(&d[i], maildate_read, i))
			return;
}

/* Every form: RFC 5322 section 3.3, the obsolete forms of 4.3, fractional
 * and missing seconds, IMAP INTERNALDATE (RFC 3501 section 9, RFC 9051),
 * asctime() and the mbox From_ line (RFC 4155). */
TEST(maildate_all_forms)
{
	static const struct dcase d[] = {
		{ "Tue, 1 Jul 2003 10:52:37 +0900", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "1 Jul 2003 10:52:37 +0900", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "Tue,01 Jul 2003 10:52:37 +0900", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "Tue, 1 Jul 03 10:52:37 +0900", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "Tue, 1 Jul 99 10:52:37 +0900", "1999-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "Tue, 1 Jul 103 10:52:37 +0900", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "Tue, 1 Jul 2003 10:52 +0900", "2003-07-01T01:52:00Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "Tue, 1 Jul 2003 10:52:37.25 +0900", "2003-07-01T01:52:37.250000Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "Tue, 1 Jul 2003 10:52:37.123456789 KST", "2003-07-01T01:52:37.123456Z", MAILDATE_ZONE_KNOWN, "KST" },
		{ " Tue ,  1\r\n Jul (July) 2003 10:52:37 +0900", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
		{ "17-Jul-1996 02:44:25 -0700", "1996-07-17T09:44:25Z", MAILDATE_ZONE_KNOWN, "-0700" },
		{ " 7-Jul-1996 02:44:25 -0700", "1996-07-07T09:44:25Z", MAILDATE_ZONE_KNOWN, "-0700" },
		{ "\"17-Jul-1996 02:44:25 -0700\"", "1996-07-17T09:44:25Z", MAILDATE_ZONE_KNOWN, "-0700" },
		{ "Tue Jul  1 10:52:37 2003", "2003-07-01T10:52:37Z", MAILDATE_ZONE_NONE, NULL },
		{ "Tue Jul  1 10:52:37 KST 2003", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "KST" },
		{ "Tue Jul  1 10:52:37 +0900 2003", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "+0900" },
	};
	static const struct dcase from[] = {
		{ "From alice@example.org Tue Jul  1 10:52:37 2003", "2003-07-01T10:52:37Z", MAILDATE_ZONE_NONE, NULL },
		{ "From MAILER-DAEMON Tue Jul  1 10:52:37 2003 remote from x\n", "2003-07-01T10:52:37Z",
		  MAILDATE_ZONE_NONE, NULL },
		{ "From a@b Tue Jul  1 10:52:37 KST 2003", "2003-07-01T01:52:37Z", MAILDATE_ZONE_KNOWN, "KST" },
		{ "alice@example.org Tue Jul  1 10:52:37 2003", "2003-07-01T10:52:37Z", MAILDATE_ZONE_NONE, NULL },
		{ "From Tue Jul  1 10:52:37 2003", "2003-07-01T10:52:37Z", MAILDATE_ZONE_NONE, NULL },
	};
	static const char *const bad[] = {
		"Tue, 1 Jul 2003 10:52:37. +0000", "Tue, 1 Jul 2003 10:52.5 +0000", "Tue, 1 Jul 2003 10:52:37.x +0000",
		"17-Jul 02:44:25 -0700", "1996-07-17 02:44:25", "Tue, 1 Jul 2003 10:52:37-0700", "Tue Jul  1 10:52:37 XYZ 2003", "Tue Jul  1 10:52:37",
	};
	struct maildate md;
	int64_t us = 0;
	bool known = true;

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (!dcase_check(&d[i], maildate_read, i))
			return;
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++)
		if (!dcase_check(&from[i], maildate_read_from_line, i))
			return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (maildate_read(bad[i], strlen(bad[i]), &md)) {
			check_fail(__FILE__, __LINE__, "bad date %zu parsed: %s", i, bad[i]);
			return;
		}
	/* the older interface gives the same instant and "known" only for KNOWN */
	CHECK(maildate_parse("Tue, 1 Jul 2003 10:52:37 KST", 28, &us, &known));
	CHECK_INT(us, INT64_C(1057024357) * 1000000);
	CHECK(known);
	CHECK(maildate_parse("Tue, 1 Jul 2003 10:52:37 XYZ", 28, &us, &known));
	CHECK(!known);
	/* a Received date names its zone state */
	struct received r;
	const char *h = "from a by b; Tue, 1 Jul 2003 10:52:37 XYZ";
	received_parse(h, strlen(h), &r);
	CHECK(r.has_date);
	CHECK_INT(r.date_zone, MAILDATE_ZONE_UNKNOWN);
	received_clear(&r);
	h = "from a by b id c";
	received_parse(h, strlen(h), &r);
	CHECK(!r.has_date);
	CHECK_INT(r.date_zone, MAILDATE_ZONE_NONE);
	received_clear(&r);
}

TEST(ip_classes)
{
	char b[64];

	CHECK(received_ip_norm("IPv6:2001:DB8::1", 16, b));
	CHECK_STR(b, "2001:db8::1");
	CHECK(received_ip_norm("::ffff:10.0.0.1", 15, b));
	CHECK_STR(b, "10.0.0.1");
	CHECK(!received_ip_norm("1.2.3", 5, b));
	CHECK(!received_ip_norm("example.com", 11, b));
	/* found by fuzz_received: a colon after an embedded NUL */
	CHECK(!received_ip_norm(";\t.\0\0TLS: \0", 12, b));
	CHECK(!received_ip_norm("1.2\0:3", 6, b));
	CHECK_INT(received_ip_classify("192.168.1.159"), RECEIVED_IP_PRIVATE);
	CHECK_INT(received_ip_classify("127.0.0.1"), RECEIVED_IP_LOOPBACK);
	CHECK_INT(received_ip_classify("198.51.100.7"), RECEIVED_IP_RESERVED);
	CHECK_INT(received_ip_classify("104.128.23.115"), RECEIVED_IP_PUBLIC);
	CHECK_INT(received_ip_classify("fd00::1"), RECEIVED_IP_PRIVATE);
	CHECK_INT(received_ip_classify("::1"), RECEIVED_IP_LOOPBACK);
	CHECK_INT(received_ip_classify("2603:10b6:408:6e::21"), RECEIVED_IP_PUBLIC);
	CHECK_INT(received_ip_classify("100.64.0.1"), RECEIVED_IP_PRIVATE);
}

int
main(void)
{
	RUN(received_formats);
	RUN(received_unparseable);
	RUN(received_ceiling_and_token_flood);
	RUN(maildate_forms);
	RUN(maildate_zone_names);
	RUN(maildate_all_forms);
	RUN(ip_classes);
	return check_done();
}
