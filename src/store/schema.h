/* schema.h - the SQL that creates a case database (version
 * CASEDB_SCHEMA_VERSION), documented table by table in
 * docs/case-database.md. */
#ifndef MC_SCHEMA_H
#define MC_SCHEMA_H

extern const char casedb_schema_sql[];

#endif
