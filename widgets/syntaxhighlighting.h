#pragma once
// Which YAML highlighter the editor gets. With KF6 SyntaxHighlighting at build time
// (KUBEDECK_HAVE_KF6_SYNTAX) it is KSyntaxHighlighting's "YAML" definition with its default light
// or dark theme; otherwise Kubedeck's built-in YamlHighlighter.

#include "widgets/editortheme.h"

#include <QString>

class QSyntaxHighlighter;
class QTextDocument;

namespace kd::widgets {

// True when Kubedeck was built with KF6 SyntaxHighlighting.
bool haveKSyntaxHighlighting();

// A highlighter for `document`, parented to it (the document deletes it).
QSyntaxHighlighter *createYamlHighlighter(QTextDocument *document, const EditorTheme &theme);

// Recolours a highlighter made by createYamlHighlighter() and re-highlights its document.
void applyHighlighterTheme(QSyntaxHighlighter *highlighter, const EditorTheme &theme);

// "KSyntaxHighlighting (YAML)" or "Kubedeck YAML"; "" for nullptr or an unknown highlighter.
QString highlighterName(const QSyntaxHighlighter *highlighter);

} // namespace kd::widgets
