/* csvcols.h - the columns of each report CSV, with their headings.
 *
 * A CSV is for a person with a spreadsheet: fixed columns in a fixed order
 * whatever rows the case has (so an empty table still has its header row),
 * headed in the report's language, and none of the keys that exist only
 * for the templates (X_any, X_label pairs, hrefs). The JSON Lines files
 * keep every key of every row.
 *
 * A column's key is a key of the table's JSON row, or "list.key": the
 * values of key in each object of the row's list, joined by "; " (by a line
 * break when key is "line"). */
#ifndef MC_CSVCOLS_H
#define MC_CSVCOLS_H

struct csv_col {
	const char *key;
	const char *en, *ko;     /* headings */
};

/* The columns of the table's CSV, ending with a NULL key; NULL for a table
 * that has no CSV. */
const struct csv_col *csv_columns(const char *table);

#endif
