#pragma once

namespace kd::cli {

// Parses the command line and runs the chosen subcommand; returns the process exit code
// (0 success, 1 failure of the command's work, 2 usage errors).
int run(int argc, char **argv);

// Whether the command line names a subcommand or asks for help or the version (no window needed).
bool isHeadless(int argc, char **argv);

} // namespace kd::cli
