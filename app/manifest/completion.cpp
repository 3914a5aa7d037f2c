#include "manifest/completion.h"

#include "manifest/yamljson.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace kd::manifest {

namespace {

// The structure a block-style line opens with: `- ` list item marks, then maybe a `key:`.
struct Token {
    enum class Type { Dash, Key };
    Type type = Type::Key;
    int col = 0; // 0-based byte column
    std::string key;
    std::string value; // the rest of a key's line, comment and surrounding blanks removed
};

struct Line {
    bool blank = true;      // empty, comment, or the content of a block scalar
    bool separator = false; // `---` or `...`
    int blockIndent = -1;   // for block scalar content: the indentation the content exceeds
    std::vector<Token> tokens;
};

bool isBlankChar(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isBlankChar(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && (isBlankChar(s.back()) || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// A plain or quoted scalar's text without the quotes and without a trailing comment.
std::string scalarText(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'')) {
        std::size_t close = s.find(s.front(), 1);
        if (close != std::string_view::npos)
            return std::string(s.substr(1, close - 1));
    }
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '#' && (i == 0 || isBlankChar(s[i - 1])))
            return std::string(trim(s.substr(0, i)));
    return std::string(s);
}

// Skips `- ` marks from `i`, adding a Dash token for each.
std::size_t readDashes(std::string_view text, std::size_t i, std::vector<Token> &tokens) {
    while (i < text.size() && text[i] == '-' &&
           (i + 1 == text.size() || isBlankChar(text[i + 1]))) {
        tokens.push_back({Token::Type::Dash, static_cast<int>(i), {}, {}});
        ++i;
        while (i < text.size() && text[i] == ' ')
            ++i;
    }
    return i;
}

// The key at `i` when the text there is `key:` followed by a blank or the end: its length
// including the colon, and the key. A plain key ends at the first `: `; quoted keys end at
// their closing quote.
std::optional<std::pair<std::size_t, std::string>> readKey(std::string_view text, std::size_t i) {
    if (i >= text.size() || text[i] == '#' || text[i] == '{' || text[i] == '[')
        return std::nullopt;
    std::size_t end = i;
    std::string key;
    if (text[i] == '"' || text[i] == '\'') {
        std::size_t close = text.find(text[i], i + 1);
        if (close == std::string_view::npos)
            return std::nullopt;
        key = std::string(text.substr(i + 1, close - i - 1));
        end = close + 1;
        while (end < text.size() && isBlankChar(text[end]))
            ++end;
        if (end >= text.size() || text[end] != ':')
            return std::nullopt;
    } else {
        for (;; ++end) {
            if (end >= text.size())
                return std::nullopt;
            if (text[end] == ':' && (end + 1 == text.size() || isBlankChar(text[end + 1])))
                break;
            if (text[end] == '#' && end > i && isBlankChar(text[end - 1]))
                return std::nullopt;
        }
        key = std::string(trim(text.substr(i, end - i)));
    }
    return std::pair{end + 1 - i, key};
}

Line tokenize(std::string_view text) {
    Line line;
    if (text.starts_with("---") || text.starts_with("...")) {
        if (text.size() == 3 || isBlankChar(text[3])) {
            line.separator = true;
            return line;
        }
    }
    std::size_t i = 0;
    while (i < text.size() && text[i] == ' ')
        ++i;
    if (trim(text.substr(i)).empty() || text[i] == '#')
        return line;
    line.blank = false;
    i = readDashes(text, i, line.tokens);
    if (auto key = readKey(text, i))
        line.tokens.push_back({Token::Type::Key, static_cast<int>(i), key->second,
                               scalarText(text.substr(i + key->first))});
    return line;
}

int indentOf(std::string_view text) {
    int n = 0;
    while (n < static_cast<int>(text.size()) && text[static_cast<std::size_t>(n)] == ' ')
        ++n;
    return n;
}

// The lines of the document around `cursorLine` (0-based), with block scalar contents blanked.
struct Document {
    std::vector<Line> lines; // index 0 is `first`
    int first = 0;           // 0-based line number of lines[0]
};

Document documentAround(const std::vector<std::string_view> &all, int cursorLine) {
    Document doc;
    int first = cursorLine;
    while (first > 0 && !tokenize(all[static_cast<std::size_t>(first - 1)]).separator)
        --first;
    int last = cursorLine;
    while (last + 1 < static_cast<int>(all.size()) &&
           !tokenize(all[static_cast<std::size_t>(last + 1)]).separator)
        ++last;
    doc.first = first;
    int blockIndent = -1; // the indentation a block scalar's content must exceed
    for (int l = first; l <= last; ++l) {
        std::string_view text = all[static_cast<std::size_t>(l)];
        Line line = tokenize(text);
        if (blockIndent >= 0 && (line.blank || indentOf(text) > blockIndent)) {
            Line content;
            content.blockIndent = blockIndent;
            doc.lines.push_back(content);
            continue;
        }
        blockIndent = -1;
        if (!line.tokens.empty() && line.tokens.back().type == Token::Type::Key) {
            const std::string &v = line.tokens.back().value;
            if (!v.empty() && (v.front() == '|' || v.front() == '>'))
                blockIndent = line.tokens.back().col;
        }
        doc.lines.push_back(std::move(line));
    }
    return doc;
}

// The path of the mapping or list that token `t` of line `l` (index into doc.lines) belongs to.
std::vector<std::string> containerPath(const Document &doc, int l, std::size_t t) {
    const std::vector<Token> &own = doc.lines[static_cast<std::size_t>(l)].tokens;
    if (t > 0) {
        std::vector<std::string> path = containerPath(doc, l, t - 1);
        path.push_back("[]");
        return path;
    }
    const int c = own[t].col;
    const bool isDash = own[t].type == Token::Type::Dash;
    for (int up = l - 1; up >= 0; --up) {
        const std::vector<Token> &tokens = doc.lines[static_cast<std::size_t>(up)].tokens;
        std::optional<std::size_t> j;
        for (std::size_t k = 0; k < tokens.size(); ++k)
            if (tokens[k].col <= c)
                j = k;
        if (!j)
            continue;
        const Token &near = tokens[*j];
        const bool nearDash = near.type == Token::Type::Dash;
        if (near.col == c) {
            if (nearDash == isDash)
                return containerPath(doc, up, *j); // a sibling key or list item
            if (nearDash)
                continue; // a sibling key's compact list (`key:` then `- ` at the key's column)
            std::vector<std::string> path = containerPath(doc, up, *j); // `key:` then `- item`
            path.push_back(near.key);
            return path;
        }
        std::vector<std::string> path = containerPath(doc, up, *j);
        path.push_back(nearDash ? std::string("[]") : near.key);
        return path;
    }
    return {};
}

// Keys at column `c` in the same mapping as line `l`, above (up = true) or below it.
void collectSiblings(const Document &doc, int l, int c, bool up, std::vector<std::string> &keys) {
    const int n = static_cast<int>(doc.lines.size());
    for (int k = up ? l - 1 : l + 1; k >= 0 && k < n; k += up ? -1 : 1) {
        const std::vector<Token> &tokens = doc.lines[static_cast<std::size_t>(k)].tokens;
        std::optional<std::size_t> j;
        for (std::size_t t = 0; t < tokens.size(); ++t)
            if (tokens[t].col <= c)
                j = t;
        if (!j)
            continue;
        const Token &near = tokens[*j];
        if (near.col < c)
            return;
        if (near.type == Token::Type::Dash)
            continue;
        if (*j > 0 && !up)
            return; // the next list item starts
        keys.push_back(near.key);
        if (*j > 0)
            return; // the first key of this list item
    }
}

std::string toLower(std::string_view s) {
    std::string out(s);
    for (char &ch : out)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    return toLower(text).starts_with(toLower(prefix));
}

bool isKeyChar(char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-' || ch == '.' ||
           ch == '/' || ch == '"' || ch == '\'';
}

std::string fieldInsertText(const SchemaField &field, int keyCol) {
    const std::string below(static_cast<std::size_t>(keyCol + 2), ' ');
    const SchemaType type = field.node ? field.node->type : SchemaType::Any;
    switch (type) {
    case SchemaType::Object:
    case SchemaType::Map:
        return field.name + ":\n" + below;
    case SchemaType::Array:
        return field.name + ":\n" + below + "- ";
    default:
        return field.name + ": ";
    }
}

// Values for `apiVersion:` and `kind:` at the top of a document, from the built-in catalogue.
std::vector<CompletionItem> kindValues(const CompletionContext &context) {
    const bool wantKind = context.path.front() == "kind";
    std::set<std::string> values;
    for (const GroupVersionKind &gvk : builtinSchemas().kinds()) {
        if (wantKind && (context.apiVersion.empty() || gvk.apiVersion() == context.apiVersion))
            values.insert(gvk.kind);
        if (!wantKind && (context.kind.empty() || gvk.kind == context.kind))
            values.insert(gvk.apiVersion());
    }
    std::vector<CompletionItem> items;
    for (const std::string &v : values)
        items.push_back(
            {CompletionItem::Kind::Value, v, wantKind ? "kind" : "apiVersion", v, false});
    return items;
}

} // namespace

CompletionContext completionContext(std::string_view text, int line, int column) {
    CompletionContext context;
    std::vector<std::string_view> all;
    for (std::size_t start = 0;;) {
        std::size_t nl = text.find('\n', start);
        std::string_view l = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
        if (l.ends_with('\r'))
            l.remove_suffix(1);
        all.push_back(l);
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    if (line < 1 || line > static_cast<int>(all.size()))
        return context;
    const std::string_view full = all[static_cast<std::size_t>(line - 1)];
    const std::string_view before =
        full.substr(0, std::min(full.size(), static_cast<std::size_t>(std::max(column, 1) - 1)));

    // What the cursor's line holds before the cursor: `- ` marks, then a key or `key: value`.
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < before.size() && before[i] == ' ')
        ++i;
    i = readDashes(before, i, tokens);
    const std::string_view rest = before.substr(i);
    if (std::all_of(rest.begin(), rest.end(), isKeyChar)) {
        context.prefix = std::string(rest);
        context.replaceFromColumn = static_cast<int>(i) + 1;
        tokens.push_back({Token::Type::Key, static_cast<int>(i), context.prefix, {}});
    } else if (auto key = readKey(before, i)) {
        std::size_t v = i + key->first;
        while (v < before.size() && isBlankChar(before[v]))
            ++v;
        const std::string_view typed = before.substr(v);
        if (v == i + key->first || typed.find_first_of(" \t#:{}[],") != std::string_view::npos)
            return context;
        context.value = true;
        context.prefix = std::string(typed);
        context.replaceFromColumn = static_cast<int>(v) + 1;
        tokens.push_back({Token::Type::Key, static_cast<int>(i), key->second, {}});
    } else {
        return context;
    }
    context.keyColumn = static_cast<int>(i) + 1;

    Document doc = documentAround(all, line - 1);
    const int l = line - 1 - doc.first;
    Line &cursorLine = doc.lines[static_cast<std::size_t>(l)];
    if (cursorLine.separator ||
        (cursorLine.blockIndent >= 0 && static_cast<int>(i) > cursorLine.blockIndent))
        return context; // a `---` line, or the text of a `|` / `>` block
    cursorLine.blank = false;
    cursorLine.tokens = tokens;

    for (const Line &dl : doc.lines) {
        if (dl.tokens.size() != 1 || dl.tokens.front().type != Token::Type::Key ||
            dl.tokens.front().col != 0 || &dl == &cursorLine)
            continue;
        if (dl.tokens.front().key == "apiVersion")
            context.apiVersion = dl.tokens.front().value;
        else if (dl.tokens.front().key == "kind")
            context.kind = dl.tokens.front().value;
    }

    context.path = containerPath(doc, l, tokens.size() - 1);
    if (context.value) {
        context.path.push_back(tokens.back().key);
    } else {
        const int c = tokens.back().col;
        if (tokens.size() == 1)
            collectSiblings(doc, l, c, true, context.presentKeys);
        collectSiblings(doc, l, c, false, context.presentKeys);
    }
    context.valid = true;
    return context;
}

const SchemaNode *schemaNodeAt(const SchemaNode *root, const std::vector<std::string> &path) {
    const SchemaNode *node = root;
    for (const std::string &step : path) {
        if (!node)
            return nullptr;
        if (node->type == SchemaType::Array || node->type == SchemaType::Map) {
            if (step != "[]" && node->type == SchemaType::Array)
                return nullptr;
            node = node->element;
        } else if (node->type == SchemaType::Object && step != "[]") {
            const SchemaField *field = node->field(step);
            node = field ? field->node : nullptr;
        } else {
            return nullptr;
        }
    }
    return node;
}

std::string schemaTypeName(const SchemaNode *node) {
    if (!node)
        return "any";
    switch (node->type) {
    case SchemaType::Any:
        return "any";
    case SchemaType::Object: {
        // OpenAPI names types by package ("io.k8s.api.core.v1.Container"); the last part reads.
        const std::size_t dot = node->name.rfind('.');
        return node->name.empty()         ? std::string("object")
               : dot == std::string::npos ? node->name
                                          : node->name.substr(dot + 1);
    }
    case SchemaType::Map:
        return "map[" + schemaTypeName(node->element) + "]";
    case SchemaType::Array:
        return "[]" + schemaTypeName(node->element);
    case SchemaType::String:
        return node->enumValues.empty() ? std::string("string") : std::string("enum");
    case SchemaType::Integer:
        return node->format.empty() ? std::string("integer") : node->format;
    case SchemaType::Number:
        return "number";
    case SchemaType::Boolean:
        return "boolean";
    case SchemaType::IntOrString:
        return "int-or-string";
    case SchemaType::Quantity:
        return "quantity";
    }
    return "any";
}

std::vector<CompletionItem> complete(std::string_view text, int line, int column,
                                     const SchemaCatalog &catalog) {
    return complete(completionContext(text, line, column), catalog);
}

std::vector<CompletionItem> complete(const CompletionContext &context,
                                     const SchemaCatalog &catalog) {
    std::vector<CompletionItem> items;
    if (!context.valid)
        return items;
    const SchemaNode *root = context.apiVersion.empty() || context.kind.empty()
                                 ? nullptr
                                 : catalog.find(context.apiVersion, context.kind);
    if (context.value) {
        if (context.path.size() == 1 &&
            (context.path.front() == "kind" || context.path.front() == "apiVersion")) {
            items = kindValues(context);
        } else if (const SchemaNode *node = schemaNodeAt(root, context.path)) {
            if (node->type == SchemaType::Boolean)
                for (const char *b : {"true", "false"})
                    items.push_back({CompletionItem::Kind::Value, b, "boolean", b, false});
            for (const std::string &v : node->enumValues) {
                // An enum value YAML would read as something other than a string is quoted.
                const bool quote = !resolvePlainScalar(v).is_string();
                items.push_back(
                    {CompletionItem::Kind::Value, v, "enum", quote ? '"' + v + '"' : v, false});
            }
        }
    } else if (context.path.empty() && !root) {
        // A document without a known kind yet: it needs these first.
        for (const char *key : {"apiVersion", "kind"})
            items.push_back(
                {CompletionItem::Kind::Field, key, "string", std::string(key) + ": ", true});
    } else if (const SchemaNode *node = schemaNodeAt(root, context.path);
               node && node->type == SchemaType::Object) {
        for (const SchemaField &field : node->fields)
            items.push_back({CompletionItem::Kind::Field, field.name, schemaTypeName(field.node),
                             fieldInsertText(field, context.keyColumn - 1), field.required});
    }
    std::erase_if(items, [&context](const CompletionItem &item) {
        if (!startsWithNoCase(item.label, context.prefix))
            return true;
        return item.kind == CompletionItem::Kind::Field &&
               std::find(context.presentKeys.begin(), context.presentKeys.end(), item.label) !=
                   context.presentKeys.end();
    });
    std::stable_partition(items.begin(), items.end(),
                          [](const CompletionItem &item) { return item.required; });
    return items;
}

} // namespace kd::manifest
