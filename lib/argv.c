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
