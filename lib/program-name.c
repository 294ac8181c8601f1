/*
 * The program's name, built once per test kernel with PROGRAM_NAME set by the Makefile
 * (x86/<name>.name.o): main() gets it as argv[0] when the loader passes no file name.
 */
#include "argv.h"

const char program_name[] = PROGRAM_NAME;
