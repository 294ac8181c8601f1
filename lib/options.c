/*
 * The kernel's options (options.h). One parser serves both the check of the command line
 * before main() and the accessors that read values afterwards, so what was accepted is what
 * the code reads.
 */
#include "options.h"
#include "report.h"

/* What options_init() accepted, for the accessors. */
static struct {
	const struct option *const *tables;
	int argc;
	char **argv;
} given;

/* A program may declare no options of its own. */
__attribute__((weak)) const struct option program_options[] = { {} };

/* The length of s up to the first stop character or its end. */
static size_t span_to(const char *s, char stop)
{
	size_t n = 0;

	while (s[n] && s[n] != stop)
		n++;
	return n;
}

/* The length of the name in a word: up to its '=' or its end. */
static size_t name_len(const char *word)
{
	return span_to(word, '=');
}

static bool is_named(const char *word, const char *name)
{
	size_t n = name_len(word);

	return n == strlen(name) && !strncmp(word, name, n);
}

static const struct option *find(const struct option *const *tables, const char *word)
{
	for (; *tables; tables++)
		for (const struct option *o = *tables; o->name; o++)
			if (is_named(word, o->name))
				return o;
	return NULL;
}

/* Case and '-' against '_' are what a misspelt name most often gets wrong. */
static char loose(char c)
{
	if (c == '_')
		return '-';
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static const struct option *find_loosely(const struct option *const *tables, const char *word)
{
	size_t n = name_len(word), i;

	for (; *tables; tables++) {
		for (const struct option *o = *tables; o->name; o++) {
			if (strlen(o->name) != n)
				continue;
			for (i = 0; i < n && loose(word[i]) == loose(o->name[i]); i++)
				;
			if (i == n)
				return o;
		}
	}
	return NULL;
}

static int digit(char c, int base)
{
	int d = c >= '0' && c <= '9' ? c - '0' :
		c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

	return d < base ? d : -1;
}

/*
 * Reads s[0, len) as "10" or "0x10"; NULL, or what is wrong with it. A leading zero is refused:
 * C reads "010" as 8, a user may mean 10.
 */
static const char *parse_number(const char *s, size_t len, u64 *value)
{
	int base = 10;
	u64 v = 0;

	if (len > 2 && s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
		len -= 2;
	} else if (!len || (s[0] == '0' && len > 1)) {
		return "not a number";
	}
	for (size_t i = 0; i < len; i++) {
		int d = digit(s[i], base);

		if (d < 0)
			return "not a number";
		if (v > (UINT64_MAX - d) / base)
			return "out of range";
		v = v * base + d;
	}
	*value = v;
	return NULL;
}

static bool is_choice(const char *choices, const char *word)
{
	for (const char *p = choices;; p++) {
		size_t n = span_to(p, '|');

		if (n == strlen(word) && !strncmp(p, word, n))
			return true;
		p += n;
		if (!*p)
			return false;
	}
}

static const char *number_problem(const struct option *o, const char *s, size_t len)
{
	const char *problem;
	u64 v;

	problem = parse_number(s, len, &v);
	if (problem)
		return problem;
	if (v < o->min || v > o->max)
		return "out of range";
	if (o->type == OPTION_ADDR && o->align > 1 && v % o->align)
		return "not aligned";
	return NULL;
}

/* What is wrong with value (NULL: the word has no '='), or NULL. */
static const char *value_problem(const struct option *o, const char *value)
{
	if (o->type == OPTION_FLAG)
		return value ? "takes no value" : NULL;
	if (!value || !*value)
		return "needs a value";
	switch (o->type) {
	case OPTION_UINT:
	case OPTION_ADDR:
		return number_problem(o, value, strlen(value));
	case OPTION_CHOICE:
		return is_choice(o->choices, value) ? NULL : "not one of the words";
	case OPTION_LIST:
		for (const char *item = value;; item++) {
			size_t n = span_to(item, ',');
			const char *problem = number_problem(o, item, n);

			item += n;
			if (problem || !*item)
				return problem;
		}
	default: /* OPTION_STRING: any text */
		return NULL;
	}
}

/* The form the option is written in, as help and usage errors spell it. */
static void describe(const struct option *o, char *buf, size_t len)
{
	int n;

	switch (o->type) {
	case OPTION_FLAG:
		snprintf(buf, len, "%s", o->name);
		break;
	case OPTION_UINT:
		snprintf(buf, len, "%s=N, N in %lu-%lu", o->name, o->min, o->max);
		break;
	case OPTION_ADDR:
		n = snprintf(buf, len, "%s=ADDR, ADDR in 0x%lx-0x%lx", o->name, o->min, o->max);
		if (o->align > 1 && n < (int)len)
			snprintf(buf + n, len - n, ", a multiple of 0x%lx", o->align);
		break;
	case OPTION_STRING:
		snprintf(buf, len, "%s=TEXT", o->name);
		break;
	case OPTION_CHOICE:
		snprintf(buf, len, "%s=%s", o->name, o->choices);
		break;
	case OPTION_LIST:
		snprintf(buf, len, "%s=N,N,..., each N in %lu-%lu", o->name, o->min, o->max);
		break;
	}
}

static bool has_range(const struct option *o)
{
	return o->type == OPTION_UINT || o->type == OPTION_ADDR || o->type == OPTION_LIST;
}

/* Checks word, which names o; false with why. */
static bool check_word(const struct option *o, const char *word, char *why, size_t why_len)
{
	const char *eq = word + name_len(word);
	const char *problem = value_problem(o, *eq ? eq + 1 : NULL);
	char form[160];

	if (!problem)
		return true;
	describe(o, form, sizeof(form));
	explain(why, why_len, "%s: %s; expected %s%s", word, problem, form,
		has_range(o) ? ", numbers as 10 or 0x10" : "");
	return false;
}

bool options_check_tables(const struct option *const *tables, char *why, size_t why_len)
{
	char word[160], reason[300];

	for (const struct option *const *t = tables; *t; t++) {
		for (const struct option *o = *t; o->name; o++) {
			if (!*o->name || o->name[name_len(o->name)] || !o->help) {
				explain(why, why_len, "option '%s': no name, an '=' in it, or no help",
					o->name);
				return false;
			}
			if (find(tables, o->name) != o) {
				explain(why, why_len, "option %s declared twice", o->name);
				return false;
			}
			if ((has_range(o) && o->min > o->max) ||
			    (o->type == OPTION_CHOICE && (!o->choices || !*o->choices))) {
				explain(why, why_len, "option %s: no value is in its range or choices",
					o->name);
				return false;
			}
			if (!o->def)
				continue;
			snprintf(word, sizeof(word), "%s=%s", o->name, o->def);
			if (!check_word(o, word, reason, sizeof(reason))) {
				explain(why, why_len, "option %s: its default is wrong: %s", o->name,
					reason);
				return false;
			}
		}
	}
	return true;
}

static bool unknown(const struct option *const *tables, const char *word, char *why,
		    size_t why_len)
{
	const struct option *near = find_loosely(tables, word);
	char form[160];

	if (!near) {
		explain(why, why_len, "unknown option '%s'", word);
		return false;
	}
	describe(near, form, sizeof(form));
	explain(why, why_len, "unknown option '%s'; did you mean %s?", word, form);
	return false;
}

bool options_init(const struct option *const *tables, int argc, char **argv, char *why,
		  size_t why_len)
{
	for (int i = 1; i < argc; i++) {
		const struct option *o = find(tables, argv[i]);

		if (!o)
			return unknown(tables, argv[i], why, why_len);
		for (int j = 1; j < i; j++) {
			if (is_named(argv[j], o->name)) {
				explain(why, why_len, "%s given twice ('%s', then '%s'); give it once",
					o->name, argv[j], argv[i]);
				return false;
			}
		}
		if (!check_word(o, argv[i], why, why_len))
			return false;
	}
	given.tables = tables;
	given.argc = argc;
	given.argv = argv;
	return true;
}

void options_print_help(const char *program)
{
	char form[160];

	printf("Options of %s, each at most once, numbers as 10 or 0x10:\n", program);
	for (const struct option *const *t = given.tables; *t; t++) {
		for (const struct option *o = *t; o->name; o++) {
			describe(o, form, sizeof(form));
			printf("  %s%s%s%s\n      %s\n", form, o->def ? " (default " : "",
			       o->def ? o->def : "", o->def ? ")" : "", o->help);
		}
	}
}

static const struct option *declared(const char *name, enum option_type type)
{
	const struct option *o = given.tables ? find(given.tables, name) : NULL;

	/* An address is a number too; any other mismatch is a bug of the reader. */
	if (!o || (o->type != type && !(type == OPTION_UINT && o->type == OPTION_ADDR)))
		report_abort("option %s read but not declared with that type", name);
	return o;
}

/* The value of the word that gives o ("" for a flag), else its default. */
static const char *value_of(const struct option *o)
{
	for (int i = 1; i < given.argc; i++) {
		if (is_named(given.argv[i], o->name)) {
			const char *eq = given.argv[i] + strlen(o->name);

			return *eq ? eq + 1 : eq;
		}
	}
	return o->def;
}

bool option_flag(const char *name)
{
	return value_of(declared(name, OPTION_FLAG));
}

bool option_number(const char *name, u64 *value)
{
	const char *v = value_of(declared(name, OPTION_UINT));

	return v && !parse_number(v, strlen(v), value);
}

const char *option_string(const char *name)
{
	return value_of(declared(name, OPTION_STRING));
}

bool option_is(const char *name, const char *word)
{
	const struct option *o = declared(name, OPTION_CHOICE);
	const char *v = value_of(o);

	if (!is_choice(o->choices, word))
		report_abort("option %s compared with %s, not one of %s", name, word, o->choices);
	return v && !strcmp(v, word);
}

int option_list(const char *name, u64 *values, int max)
{
	const char *v = value_of(declared(name, OPTION_LIST));
	int n = 0;

	if (!v)
		return -1;
	for (;; v++) {
		size_t len = span_to(v, ',');
		u64 x = 0;

		parse_number(v, len, &x);
		if (n < max)
			values[n] = x;
		n++;
		v += len;
		if (!*v)
			return n;
	}
}
