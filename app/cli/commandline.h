#pragma once
// What every subcommand's command line shares: option construction, usage errors with the
// same wording and exit code, and the common end of parsing (--help, stray arguments).

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace kd::cli {

QCommandLineOption option(const QStringList &names, const char *description,
                          const char *valueName = nullptr, const char *defaultValue = nullptr);

// The parser's --help text with the usage line reading "Usage: kubedeck <command> [options]".
QString helpText(const QCommandLineParser &parser, const char *command);

// "kubedeck <command>: <message>" and a pointer to --help on stderr; returns 2.
int usageError(const char *command, const QString &message);

// Parses `arguments`. Returns an exit code when the command is over (a usage error, or --help
// printed), std::nullopt when it should run.
std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const char *command);

} // namespace kd::cli
