#include "ui/editormessagebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace kd::ui {

namespace {

// Background, text and border of each kind; the bar brings its own background, so the same
// colours read well under the light and the dark editor theme.
struct Look {
    const char *background;
    const char *text;
    const char *border;
};

Look lookOf(EditorMessageBar::Kind kind) {
    switch (kind) {
    case EditorMessageBar::Kind::Info:
        return {"#e8f0fe", "#174ea6", "#aecbfa"};
    case EditorMessageBar::Kind::Success:
        return {"#e6f4ea", "#1e5e2f", "#a8dab5"};
    case EditorMessageBar::Kind::Warning:
        return {"#fef7e0", "#6b4a00", "#f9d77e"};
    case EditorMessageBar::Kind::Error:
        return {"#fdecea", "#611a15", "#f5c2c0"};
    }
    return {"#e8f0fe", "#174ea6", "#aecbfa"};
}

} // namespace

void EditorMessageBar::dropButtons() {
    // Later, not now: the button clicked may be the one whose handler shows the next message.
    while (QLayoutItem *item = m_buttons->takeAt(0)) {
        if (QWidget *w = item->widget()) {
            w->hide();
            w->deleteLater();
        }
        delete item;
    }
}

EditorMessageBar::EditorMessageBar(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_buttons(new QHBoxLayout)
    , m_close(new QPushButton(QStringLiteral("✕"), this)) {
    setObjectName(QStringLiteral("editorMessage"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_text->setObjectName(QStringLiteral("editorMessageText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setObjectName(QStringLiteral("editorMessageClose"));
    m_close->setFlat(true);
    m_close->setToolTip(tr("Dismiss"));
    m_close->setFixedWidth(28);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_buttons);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QPushButton::clicked, this, &EditorMessageBar::clearMessage);
    hide();
}

void EditorMessageBar::showMessage(Kind kind, const QString &text) {
    dropButtons();
    m_kind = kind;
    const Look look = lookOf(kind);
    setStyleSheet(QStringLiteral("QFrame#editorMessage { background: %1; border: 1px solid %3;"
                                 " border-radius: 4px; }"
                                 " QFrame#editorMessage QLabel { color: %2; }"
                                 " QFrame#editorMessage QPushButton#editorMessageClose"
                                 " { color: %2; border: none; }")
                      .arg(QLatin1String(look.background), QLatin1String(look.text),
                           QLatin1String(look.border)));
    m_text->setText(text);
    show();
}

QPushButton *EditorMessageBar::addButton(const QString &text, const QString &objectName,
                                         std::function<void()> onClick) {
    auto *button = new QPushButton(text, this);
    button->setObjectName(objectName);
    connect(button, &QPushButton::clicked, this, [onClick = std::move(onClick)] { onClick(); });
    m_buttons->addWidget(button, 0, Qt::AlignTop);
    return button;
}

void EditorMessageBar::clearMessage() {
    dropButtons();
    m_text->clear();
    hide();
}

QString EditorMessageBar::text() const {
    return m_text->text();
}

} // namespace kd::ui
