#pragma once
// A plain-text code editor for short structured documents (YAML manifests): a line-number gutter
// with an icon per line that has diagnostics, the current line highlighted, diagnostics drawn as
// wavy underlines with tooltips, completion from a provider the owner supplies, YAML-friendly
// indentation (spaces only, Enter keeps the indentation) and light/dark themes. It knows nothing
// of what the text means: the owner validates it and hands diagnostics back.

#include "widgets/diagnostic.h"
#include "widgets/editortheme.h"

#include <QPlainTextEdit>
#include <QTextCursor>
#include <QVector>

#include <functional>
#include <optional>

class QSyntaxHighlighter;

namespace kd::widgets {

class CodeEditorGutter;
class CompletionPopup;

// What the completion provider is asked.
struct CompletionRequest {
    QString text;   // the whole document
    int line = 1;   // 1-based, of the cursor
    int column = 1; // 1-based, of the cursor (the position after the prefix)
    // The word being typed, up to the cursor: letters, digits and "_-./" ("nvidia.com/gp").
    QString prefix;
    bool explicitRequest = false; // Ctrl+Space rather than typing
};

struct CompletionItem {
    QString label;      // shown, and matched against the prefix
    QString detail;     // shown dimmed beside the label ("string", "Deployment field")
    QString insertText; // replaces the prefix; the label when empty
};

using CompletionList = QVector<CompletionItem>;
using CompletionProvider = std::function<CompletionList(const CompletionRequest &)>;

class CodeEditor final : public QPlainTextEdit {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeEditor)

public:
    enum class Language { PlainText, Yaml };

    static constexpr int kIndentWidth = 2;

    explicit CodeEditor(QWidget *parent = nullptr);
    ~CodeEditor() override;

    // --- Diagnostics
    // Replaces all diagnostics. Each one is anchored to its text with a QTextCursor, so while the
    // user edits, underlines and gutter icons ride along with the text they mark (typing above an
    // error moves it down) until the owner's next validation replaces them all. A diagnostic
    // whose text is deleted shrinks to an empty range: it keeps its gutter icon and gutter tooltip
    // but has nothing to underline. Lines and columns past the end are clamped to the document.
    void setDiagnostics(const DiagnosticList &diagnostics);
    void clearDiagnostics() { setDiagnostics({}); }
    // The diagnostics with their *current* line, column and length (after the user's edits).
    DiagnosticList diagnostics() const;
    // The worst diagnostic whose range contains `cursor`'s position (ends inclusive), if any.
    std::optional<Diagnostic> diagnosticAt(const QTextCursor &cursor) const;
    // The diagnostics on `line` (1-based), worst first.
    DiagnosticList diagnosticsOnLine(int line) const;
    // The tooltip shown when hovering `viewportPos`: every diagnostic under it as
    // "error: message (code)", one per line; empty where there is none.
    QString toolTipAt(const QPoint &viewportPos) const;
    // The tooltip of the gutter icon of `line` (1-based), in the same form.
    QString gutterToolTip(int line) const;

    // Places the cursor at `line`:`column` (1-based, clamped) and scrolls it into view.
    void goTo(int line, int column = 1);

    // --- Completion
    // The provider is called on the GUI thread, so it must be quick (a schema lookup, not I/O).
    // Completion starts on Ctrl+Space, on typing a word character, and on the space typed after a
    // `key:` (a value); the popup lists the items whose label contains the prefix
    // (case-insensitive, those starting with it first) and is not shown when none do. Up/Down
    // choose, Tab or Enter insert, Escape closes; typing on narrows the list.
    void setCompletionProvider(CompletionProvider provider);
    // What Ctrl+Space does: asks the provider and shows the popup.
    void requestCompletion();
    bool isCompletionVisible() const;
    // The labels the popup currently lists, top to bottom (empty when it is hidden).
    QStringList completionLabels() const;
    // Inserts the popup's current item, as Enter does; false if the popup is hidden.
    bool acceptCompletion();
    void hideCompletion();

    // --- Look
    // Restyles the text area, gutter, underlines and the syntax highlighting.
    void setTheme(const EditorTheme &theme);
    const EditorTheme &theme() const { return m_theme; }
    // Installs the syntax highlighting for `language` (see syntaxhighlighting.h for which
    // highlighter YAML gets).
    void setLanguage(Language language);
    Language language() const { return m_language; }
    // The active highlighter's name ("" for plain text); for the About box and tests.
    QString highlighterName() const;
    QSyntaxHighlighter *highlighter() const { return m_highlighter; }

    // Pixels the gutter needs: it grows with the number of digits of the last line number.
    int gutterWidth() const;
    QWidget *gutter() const;

signals:
    // The user clicked a gutter icon (the line's worst diagnostic, with current positions); the
    // cursor has already moved there.
    void diagnosticActivated(const kd::widgets::Diagnostic &diagnostic);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    friend class CodeEditorGutter;
    friend class CompletionPopup;

    // A diagnostic anchored to the text it marks.
    struct Anchored {
        Diagnostic diagnostic; // line/column/length as given; current ones come from `range`
        QTextCursor range;
    };

    Diagnostic current(const Anchored &anchored) const;
    QTextCursor anchorFor(const Diagnostic &diagnostic) const;
    void updateExtraSelections();
    void updateGutterGeometry();
    void paintGutter(QPaintEvent *event);
    void gutterClicked(const QPoint &pos);
    int lineAtGutterY(int y) const;
    QString describe(const QVector<const Anchored *> &anchors) const;

    // Indentation (codeeditorindent.cpp).
    bool handleIndentKey(QKeyEvent *event);
    void insertNewlineKeepingIndent();
    void indentSelection(bool dedent);

    // Completion (codeeditorcompletion.cpp).
    bool handleCompletionKey(QKeyEvent *event);
    void afterTyping(const QString &typed);
    void refreshCompletion(bool explicitRequest);
    QString wordPrefix() const;
    void insertCompletion(const CompletionItem &item);

    CodeEditorGutter *m_gutter;
    CompletionPopup *m_popup;
    CompletionProvider m_provider;
    QVector<Anchored> m_diagnostics;
    EditorTheme m_theme;
    Language m_language = Language::PlainText;
    QSyntaxHighlighter *m_highlighter = nullptr;
};

} // namespace kd::widgets
