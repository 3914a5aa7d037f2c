// The text edits behind the lint rules' quick fixes: set a map entry, inserting the key (and any
// missing maps above it) in the map's own style, with the indentation its siblings use.

#include "manifest/lintrules_util.h"

#include "manifest/linttext.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace kd::manifest::detail {

namespace {

bool samePosition(const Position &a, const Position &b) {
    return a.line == b.line && a.column == b.column;
}

// The parent of a canonical relative path and its last segment: `a.b[c.d]` -> `a.b`, `c.d`.
std::pair<std::string, std::string> splitLast(const std::string &path) {
    if (!path.empty() && path.back() == ']') {
        const std::size_t open = path.rfind('[');
        if (open == std::string::npos)
            return {{}, path};
        return {path.substr(0, open), path.substr(open + 1, path.size() - open - 2)};
    }
    const std::size_t dot = path.find_last_of('.');
    if (dot == std::string::npos)
        return {{}, path};
    return {path.substr(0, dot), path.substr(dot + 1)};
}

bool isIndex(std::string_view segment) {
    return !segment.empty() && segment.find_first_not_of("0123456789") == std::string_view::npos;
}

// The JSON at a canonical path relative to the object; nullptr when absent.
const Json *resolve(const Json *root, std::string_view path) {
    const Json *cur = root;
    std::size_t i = 0;
    while (cur != nullptr && i < path.size()) {
        std::string_view segment;
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string_view::npos)
                return nullptr;
            segment = path.substr(i + 1, close - i - 1);
            i = close + 1;
        } else {
            const std::size_t end = std::min(path.find_first_of(".[", i), path.size());
            segment = path.substr(i, end - i);
            i = end;
        }
        if (i < path.size() && path[i] == '.')
            ++i;
        if (cur->is_array() && isIndex(segment)) {
            std::size_t index = 0;
            for (char c : segment)
                index = index * 10 + static_cast<std::size_t>(c - '0');
            cur = index < cur->size() ? &(*cur)[index] : nullptr;
        } else if (cur->is_object()) {
            const auto &fields = cur->get_ref<const Json::object_t &>();
            const auto it = fields.find(segment);
            cur = it == fields.end() ? nullptr : &it->second;
        } else {
            cur = nullptr;
        }
    }
    return cur;
}

// What to insert: keys with a scalar (YAML text) or nested entries.
struct Node {
    std::string key;
    std::string value;
    std::vector<Node> children;
};

std::string renderFlow(const std::vector<Node> &nodes) {
    std::string out;
    for (const Node &n : nodes) {
        out += (out.empty() ? "" : ", ") + yamlString(n.key) + ": " +
               (n.children.empty() ? n.value : "{" + renderFlow(n.children) + "}");
    }
    return out;
}

void renderBlock(const std::vector<Node> &nodes, int depth, int step,
                 std::vector<std::string> &lines) {
    for (const Node &n : nodes) {
        const std::string indent(static_cast<std::size_t>(depth * step), ' ');
        if (n.children.empty()) {
            lines.push_back(indent + yamlString(n.key) + ": " + n.value);
        } else {
            lines.push_back(indent + yamlString(n.key) + ":");
            renderBlock(n.children, depth + 1, step, lines);
        }
    }
}

// Adds a node to a list of siblings; entries for one new map share it.
void merge(std::vector<Node> &siblings, Node node) {
    for (Node &n : siblings) {
        if (n.key == node.key && !n.children.empty() && !node.children.empty()) {
            for (Node &child : node.children)
                merge(n.children, std::move(child));
            return;
        }
    }
    siblings.push_back(std::move(node));
}

// Edits one object's text, reading positions straight from its document: a fix is built for
// every finding that has one, so each costs a handful of lookups.
class Editor {
public:
    explicit Editor(const LintObject &object)
        : m_object(object)
        , m_file(*object.file)
        , m_doc(object.file->yaml.documents[static_cast<std::size_t>(object.document)]) {}

    std::optional<Position> keyAt(const std::string &path) const {
        return lookup(m_doc.keyPositions, path);
    }
    std::optional<Position> valueAt(const std::string &path) const {
        return lookup(m_doc.valuePositions, path);
    }

    bool startsLine(const Position &p) const {
        const auto offset = textOffset(m_file, p);
        if (!offset)
            return false;
        const std::size_t lineStart = m_file.lineStarts[static_cast<std::size_t>(p.line - 1)];
        const std::string_view prefix(m_file.text.data() + lineStart, *offset - lineStart);
        return prefix.find_first_not_of(' ') == std::string_view::npos;
    }

    std::string newline(const Position &p) const {
        const std::size_t next = static_cast<std::size_t>(p.line);
        if (next < m_file.lineStarts.size() && m_file.lineStarts[next] >= 2 &&
            m_file.text[m_file.lineStarts[next] - 2] == '\r')
            return "\r\n";
        return "\n";
    }

    // Columns between a block map's key and its entries, as this document writes them.
    int indentStep(const std::string &path, const Json &map, const Position &firstEntry) const {
        if (!path.empty() && path.back() != ']') {
            if (const auto key = keyAt(path);
                key && firstEntry.line > key->line && firstEntry.column > key->column)
                return firstEntry.column - key->column;
        }
        for (const auto &[k, v] : map.items()) {
            if (!v.is_object() || v.empty())
                continue;
            const std::string child = join(path, k);
            const auto key = keyAt(child);
            const auto value = valueAt(child); // a block map's value is its first key
            if (key && value && value->line > key->line && value->column > key->column)
                return value->column - key->column;
        }
        return 2;
    }

    std::optional<TextEdit> insertInto(const std::string &path, const Json &map,
                                       const std::vector<Node> &nodes) const {
        const auto value = valueAt(path);
        const auto offset = value ? textOffset(m_file, *value) : std::nullopt;
        if (!offset)
            return std::nullopt;
        if (m_file.text[*offset] == '{') {
            // A flow map: the new entries go first.
            const Position after{value->line, value->column + 1};
            return TextEdit{after, after, renderFlow(nodes) + (map.empty() ? "" : ", ")};
        }
        if (map.empty())
            return std::nullopt; // `key:` with nothing: where its entries would go is unclear
        // A block map, whose value position is its first key. Insert before a key that starts
        // its line (not the `- name:` of a list item) if there is one, at that key's column.
        Position anchor = *value;
        if (!startsLine(anchor)) {
            for (const auto &[k, v] : map.items()) {
                (void)v;
                if (const auto key = keyAt(join(path, k)); key && startsLine(*key)) {
                    anchor = *key;
                    break;
                }
            }
        }
        std::vector<std::string> lines;
        renderBlock(nodes, 0, indentStep(path, map, *value), lines);
        const std::string indent(static_cast<std::size_t>(anchor.column - 1), ' ');
        const std::string nl = newline(anchor);
        std::string text;
        for (std::size_t i = 0; i < lines.size(); ++i)
            text += (i == 0 ? "" : indent) + lines[i] + nl;
        return TextEdit{anchor, anchor, text + indent};
    }

    std::optional<TextEdit> replace(const std::string &path, const Json &current,
                                    const std::string &yamlText) const {
        const auto at = valueAt(path);
        if (!at || !current.is_primitive() || current.is_null())
            return std::nullopt;
        auto edit = replaceScalar(m_file, *at, scalarText(current), yamlText);
        if (edit && !samePosition(edit->start, *at) && yamlText.starts_with('"')) {
            // Inside quotes already: write the string itself.
            const Json raw = Json::parse(yamlText, nullptr, false);
            if (!raw.is_string())
                return std::nullopt;
            edit->newText = raw.get<std::string>();
        }
        return edit;
    }

private:
    // The document path of a path relative to the object (canonical, as rules build them).
    std::string documentPath(const std::string &path) const {
        const std::string &prefix = m_object.pathPrefix;
        if (prefix.empty())
            return path;
        if (path.empty())
            return prefix;
        return prefix + (path.front() == '[' ? "" : ".") + path;
    }

    // contains + at: dereferencing a find() iterator would spell out the path again.
    template<typename Positions>
    std::optional<Position> lookup(const Positions &positions, const std::string &path) const {
        const std::string full = documentPath(path);
        if (!positions.contains(full))
            return std::nullopt;
        return positions.at(full);
    }

    const LintObject &m_object;
    const LintFile &m_file;
    const YamlDocument &m_doc;
};

} // namespace

std::string yamlString(std::string_view text) {
    const bool plainChars = !text.empty() &&
                            std::isalnum(static_cast<unsigned char>(text.front())) &&
                            std::all_of(text.begin(), text.end(), [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                       c == '_' || c == '-' || c == '/';
                            });
    const std::string s(text);
    if (plainChars && resolvePlainScalar(s) == Json(s))
        return s;
    return Json(s).dump();
}

std::string yamlScalar(const Json &value) {
    return value.is_string() ? yamlString(value.get_ref<const std::string &>()) : value.dump();
}

std::optional<std::vector<TextEdit>> entryEdits(const LintObject &object,
                                                const std::vector<EntryEdit> &entries) {
    if (object.file == nullptr || object.file->text.empty() || object.value == nullptr ||
        object.document < 0 ||
        static_cast<std::size_t>(object.document) >= object.file->yaml.documents.size())
        return std::nullopt;
    const Editor editor(object);
    std::vector<TextEdit> edits;
    // Missing keys, grouped by the existing map they go into.
    std::map<std::string, std::vector<Node>> inserts;
    for (const EntryEdit &e : entries) {
        const std::string full = join(e.mapPath, e.key);
        if (const Json *current = resolve(object.value, full)) {
            auto edit = editor.replace(full, *current, e.value);
            if (!edit)
                return std::nullopt;
            edits.push_back(*edit);
            continue;
        }
        // Climb to the nearest map that exists, collecting the maps to create on the way.
        Node node{e.key, e.value, {}};
        std::string path = e.mapPath;
        while (!path.empty() && resolve(object.value, path) == nullptr) {
            auto [parent, last] = splitLast(path);
            if (isIndex(last))
                return std::nullopt;
            node = Node{last, {}, {std::move(node)}};
            path = parent;
        }
        const Json *map = resolve(object.value, path);
        if (map == nullptr || !map->is_object())
            return std::nullopt; // e.g. `labels:` with no value
        merge(inserts[path], std::move(node));
    }
    for (const auto &[path, nodes] : inserts) {
        auto edit = editor.insertInto(path, *resolve(object.value, path), nodes);
        if (!edit)
            return std::nullopt;
        edits.push_back(std::move(*edit));
    }
    return edits;
}

void attachFix(Finding *finding, const LintObject &object, std::string title,
               const std::vector<EntryEdit> &entries) {
    if (finding == nullptr)
        return;
    if (auto edits = entryEdits(object, entries); edits && !edits->empty())
        finding->fixes.push_back({std::move(title), std::move(*edits)});
}

} // namespace kd::manifest::detail
