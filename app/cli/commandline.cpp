#include "cli/commandline.h"

#include <cstdio>

namespace kd::cli {

QCommandLineOption option(const QStringList &names, const char *description, const char *valueName,
                          const char *defaultValue) {
    QCommandLineOption o(names, QString::fromLatin1(description));
    if (valueName)
        o.setValueName(QString::fromLatin1(valueName));
    if (defaultValue)
        o.setDefaultValue(QString::fromLatin1(defaultValue));
    return o;
}

int usageError(const char *command, const QString &message) {
    std::fprintf(stderr, "kubedeck %s: %s\nRun 'kubedeck %s --help' for the options.\n", command,
                 qPrintable(message), command);
    return 2;
}

std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &arguments,
                               const char *command) {
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            command,
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    return std::nullopt;
}

} // namespace kd::cli
