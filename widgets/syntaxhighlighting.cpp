#include "widgets/syntaxhighlighting.h"

#include "widgets/yamlhighlighter.h"

#ifdef KUBEDECK_HAVE_KF6_SYNTAX
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace kd::widgets {

#ifdef KUBEDECK_HAVE_KF6_SYNTAX
namespace {

// Owns its repository, so that the definition and themes live exactly as long as the highlighter.
class KfYamlHighlighter final : public KSyntaxHighlighting::SyntaxHighlighter {
public:
    KfYamlHighlighter(QTextDocument *document, const EditorTheme &theme)
        : KSyntaxHighlighting::SyntaxHighlighter(document) {
        setDefinition(m_repository.definitionForName(QStringLiteral("YAML")));
        applyTheme(theme);
    }

    void applyTheme(const EditorTheme &theme) {
        setTheme(m_repository.defaultTheme(theme.isDark
                                               ? KSyntaxHighlighting::Repository::DarkTheme
                                               : KSyntaxHighlighting::Repository::LightTheme));
        rehighlight();
    }

private:
    KSyntaxHighlighting::Repository m_repository;
};

} // namespace
#endif

bool haveKSyntaxHighlighting() {
#ifdef KUBEDECK_HAVE_KF6_SYNTAX
    return true;
#else
    return false;
#endif
}

QSyntaxHighlighter *createYamlHighlighter(QTextDocument *document, const EditorTheme &theme) {
#ifdef KUBEDECK_HAVE_KF6_SYNTAX
    auto *kf = new KfYamlHighlighter(document, theme);
    if (kf->definition().isValid())
        return kf;
    delete kf; // an installation without the YAML definition
#endif
    return new YamlHighlighter(document, theme);
}

void applyHighlighterTheme(QSyntaxHighlighter *highlighter, const EditorTheme &theme) {
    if (auto *builtIn = qobject_cast<YamlHighlighter *>(highlighter)) {
        builtIn->setTheme(theme);
        return;
    }
#ifdef KUBEDECK_HAVE_KF6_SYNTAX
    if (auto *kf = dynamic_cast<KfYamlHighlighter *>(highlighter))
        kf->applyTheme(theme);
#endif
}

QString highlighterName(const QSyntaxHighlighter *highlighter) {
    if (qobject_cast<const YamlHighlighter *>(highlighter))
        return QStringLiteral("Kubedeck YAML");
#ifdef KUBEDECK_HAVE_KF6_SYNTAX
    if (dynamic_cast<const KfYamlHighlighter *>(highlighter))
        return QStringLiteral("KSyntaxHighlighting (YAML)");
#endif
    return {};
}

} // namespace kd::widgets
