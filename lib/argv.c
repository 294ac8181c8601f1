#include "argv.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int split_args(char *cmdline, char **argv, int max)
{
	char *in = cmdline, *out = cmdline;
	int argc = 0;

	while (*in) {
		char quote = 0;

		while (is_blank(*in))
			in++;
		if (!*in)
			break;
		if (argc < max - 1)
			argv[argc++] = out;
		/* Copy one word, dropping the quotes; "out" never overtakes "in". */
		for (; *in && (quote || !is_blank(*in)); in++) {
			if (quote && *in == quote)
				quote = 0;
			else if (!quote && (*in == '"' || *in == '\''))
				quote = *in;
			else
				*out++ = *in;
		}
		if (*in)
			in++;
		*out++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

const char *find_arg(int argc, char **argv, const char *key)
{
	size_t len = strlen(key);

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], key, len))
			continue;
		if (argv[i][len] == '=')
			return argv[i] + len + 1;
		if (argv[i][len] == '\0')
			return "";
	}
	return NULL;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool same_ignoring_case(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/*
 * Loaders differ: QEMU's -kernel passes "file args", GRUB 2 only "args", a UEFI LoadOptions
 * may start with "smp.efi" or "fs0:\EFI\BOOT\BOOTX64.EFI". So the first word is the file name
 * when the loader is known to put it there; else when it ends in .elf or .efi, or its base
 * name (after the last '/' or '\', less the extension) is the program's, ignoring case. A word
 * with '=' is never one: options are "key=value", and "smp.delays=none" must stay an option.
 */
bool is_file_name(const char *word, const char *program, bool loader_prepends)
{
	const char *base = word, *dot = NULL;
	size_t len = strlen(word);

	if (loader_prepends)
		return true;
	if (strstr(word, "="))
		return false;
	if (len >= 4 && (same_ignoring_case(word + len - 4, ".elf", 4) ||
			 same_ignoring_case(word + len - 4, ".efi", 4)))
		return true;
	for (const char *p = word; *p; p++) {
		if (*p == '/' || *p == '\\') {
			base = p + 1;
			dot = NULL;
		} else if (*p == '.') {
			dot = p;
		}
	}
	len = dot ? (size_t)(dot - base) : strlen(base);
	return len == strlen(program) && same_ignoring_case(base, program, len);
}

int split_cmdline(char *cmdline, char **argv, int max, const char *program, bool loader_prepends)
{
	/* Words go from argv[1], leaving argv[0] for the program when the line does not name it. */
	int argc = split_args(cmdline, argv + 1, max - 1);

	if (argc && is_file_name(argv[1], program, loader_prepends)) {
		memmove(argv, argv + 1, argc * sizeof(*argv));
		argv[argc] = NULL;
		return argc;
	}
	/* main() takes char **argv as C has it; nothing writes to its argv[0]. */
	argv[0] = (char *)program;
	return argc + 1;
}
