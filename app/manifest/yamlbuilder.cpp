#include "manifest/yamlbuilder.h"

#include <memory>
#include <stdexcept>

namespace kd::manifest::detail {

namespace {

// Plain scalars a YAML 1.1 decoder reads as null, which cannot be map keys.
bool isNullString(std::string_view s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

constexpr const char *kKeyMessage = "map keys must be plain strings";

} // namespace

DocumentBuilder::DocumentBuilder(const YamlLimits &limits, FieldTree &fields)
    : m_limits(limits)
    , m_tree(fields) {
    m_tree.clear();
}

void DocumentBuilder::limit(Position position, std::string message, bool fatal) const {
    throw DocumentError{{YamlDiagnostic::Kind::Limit, position, std::move(message)}, fatal};
}

void DocumentBuilder::feed(const NodeEvent &event) {
    if (!m_building) {
        drain(event);
        return;
    }
    try {
        feedLive(event);
    } catch (const std::length_error &e) { // FieldTree's indexes are 32-bit
        limit(event.position, e.what(), true);
    }
}

std::uint32_t DocumentBuilder::anchorOf(const NodeEvent &event) const {
    auto it = m_anchors.find(std::string(event.text));
    if (it == m_anchors.end())
        throw DocumentError{
            {YamlDiagnostic::Kind::Syntax, event.position, "the referenced anchor is not defined"},
            true};
    return it->second;
}

void DocumentBuilder::feedLive(const NodeEvent &event) {
    using Type = NodeEvent::Type;
    const std::uint32_t target = event.type == Type::Alias ? anchorOf(event) : FieldTree::kNone;
    record(event, target);
    if (event.type == Type::SequenceStart || event.type == Type::MappingStart)
        ++m_liveDepth;
    else if (event.type == Type::End)
        --m_liveDepth;
    if (event.type != Type::Alias) {
        apply(event.type, event.kind, event.position, event.text);
    } else if (!m_stack.empty() && m_stack.back().map && m_stack.back().slot == nullptr) {
        keyFromRecord(m_stack.back(), target);
    } else {
        expand(target);
    }
}

// After a limit the document is lost, but a syntax error further on is what gets reported, as
// it would be for any document that is not YAML.
void DocumentBuilder::drain(const NodeEvent &event) {
    using Type = NodeEvent::Type;
    if (event.type == Type::Alias) {
        anchorOf(event);
        return;
    }
    if (event.type == Type::End) {
        --m_liveDepth;
        return;
    }
    if (m_liveDepth > m_limits.maxDepth)
        limit(event.position,
              "nesting deeper than " + std::to_string(m_limits.maxDepth) + " levels", true);
    if (!event.anchor.empty())
        m_anchors.emplace(std::string(event.anchor), 0);
    if (event.type != Type::Scalar)
        ++m_liveDepth;
}

// Anchored nodes are recorded event by event so that an alias can replay them. An anchored node
// inside another recording appears there as a reference, so nothing is recorded twice.
void DocumentBuilder::record(const NodeEvent &event, std::uint32_t aliasTarget) {
    using Type = NodeEvent::Type;
    if (!event.anchor.empty()) {
        const auto id = static_cast<std::uint32_t>(m_records.size());
        m_records.emplace_back();
        m_closed.push_back(false);
        if (!m_open.empty())
            m_records[m_open.back().record].push_back(
                {Type::Alias, ScalarKind::String, event.position, {}, id});
        m_anchors[std::string(event.anchor)] = id;
        m_open.push_back({id, 0});
    }
    if (m_open.empty())
        return;
    OpenRecording &open = m_open.back();
    m_records[open.record].push_back(
        {event.type, event.kind, event.position,
         event.type == Type::Scalar ? std::string(event.text) : std::string(), aliasTarget});
    if (event.type == Type::SequenceStart || event.type == Type::MappingStart)
        ++open.level;
    else if (event.type == Type::End)
        --open.level;
    if (open.level == 0) {
        m_closed[open.record] = true;
        m_open.pop_back();
    }
}

// Replays a recording. A position inside it is where the anchored text is, as the fields of an
// expanded alias have no text of their own. An alias inside its own anchor replays what has been
// recorded so far, itself included, and so nests deeper each time until the depth limit ends it
// at the node a full expansion would have reached there.
void DocumentBuilder::expand(std::uint32_t record) {
    using Type = NodeEvent::Type;
    struct Step {
        std::uint32_t record;
        std::size_t next;
    };
    std::vector<Step> steps{{record, 0}};
    while (!steps.empty()) {
        Step &step = steps.back();
        const std::vector<Recorded> &events = m_records[step.record];
        if (step.next == events.size()) {
            steps.pop_back();
            continue;
        }
        const Recorded &e = events[step.next++];
        if (e.type == Type::Alias) {
            if (!m_stack.empty() && m_stack.back().map && m_stack.back().slot == nullptr)
                keyFromRecord(m_stack.back(), e.record);
            else
                steps.push_back({e.record, 0});
            continue;
        }
        m_aliasBytes += e.text.size();
        if (m_aliasBytes > m_limits.maxInputBytes)
            limit(e.position, "aliases expand to more than " +
                                  std::to_string(m_limits.maxInputBytes) + " bytes");
        apply(e.type, e.kind, e.position, e.text);
    }
}

void DocumentBuilder::keyFromRecord(Frame &frame, std::uint32_t record) {
    const std::vector<Recorded> &events = m_records[record];
    if (!m_closed[record] || events.size() != 1 || events.front().type != NodeEvent::Type::Scalar)
        limit(events.front().position, kKeyMessage);
    const Recorded &key = events.front();
    m_aliasBytes += key.text.size();
    if (m_aliasBytes > m_limits.maxInputBytes)
        limit(key.position,
              "aliases expand to more than " + std::to_string(m_limits.maxInputBytes) + " bytes");
    readKey(frame, key.type, key.kind, key.position, key.text);
}

void DocumentBuilder::readKey(Frame &frame, NodeEvent::Type type, ScalarKind kind,
                              Position position, std::string_view text) {
    if (type != NodeEvent::Type::Scalar || (kind == ScalarKind::Plain && isNullString(text)))
        limit(position, kKeyMessage);
    auto &object = frame.value->get_ref<json::object_t &>();
    auto it = object.lower_bound(text);
    const bool repeated = it != object.end() && it->first == text;
    if (repeated) {
        m_duplicates.push_back(
            {YamlDiagnostic::Kind::DuplicateKey, position,
             "duplicate key \"" + std::string(text) + "\"; the later value is used"});
        it->second = nullptr;
    } else {
        it = object.emplace_hint(it, std::string(text), nullptr);
    }
    std::uint32_t node =
        frame.reused || repeated ? m_tree.findKey(frame.node, text) : FieldTree::kNone;
    frame.slotReused = node != FieldTree::kNone;
    if (node == FieldTree::kNone)
        node = newField(frame.node, text, 0, false, position);
    frame.slot = &it->second;
    frame.slotNode = node;
}

std::uint32_t DocumentBuilder::newField(std::uint32_t parent, std::string_view key,
                                        std::size_t index, bool isIndex, Position keyPosition) {
    const std::uint32_t node =
        isIndex ? m_tree.addIndex(parent, index) : m_tree.addKey(parent, key);
    m_tree.position(node, false) = keyPosition;
    return node;
}

void DocumentBuilder::apply(NodeEvent::Type type, ScalarKind kind, Position position,
                            std::string_view text) {
    using Type = NodeEvent::Type;
    if (type == Type::End) {
        m_stack.pop_back();
        return;
    }
    json *slot = &m_root;
    std::uint32_t node = FieldTree::kRoot;
    bool reused = false;
    int depth = 0;
    if (m_stack.empty()) {
        m_rootSeen = true;
        m_rootPosition = position;
    } else {
        Frame &top = m_stack.back();
        depth = top.depth + 1;
        if (top.map) {
            if (top.slot == nullptr) {
                readKey(top, type, kind, position, text);
                return;
            }
            slot = top.slot;
            node = top.slotNode;
            reused = top.slotReused;
            top.slot = nullptr;
        } else {
            const std::size_t index = top.items++;
            auto &items = top.value->get_ref<json::array_t &>();
            slot = &items.emplace_back();
            node = top.reused ? m_tree.findIndex(top.node, index) : FieldTree::kNone;
            reused = node != FieldTree::kNone;
            if (!reused)
                node = newField(top.node, {}, index, true, position);
        }
    }
    if (++m_nodes > m_limits.maxNodesPerDocument)
        limit(position, "the document expands to more than " +
                            std::to_string(m_limits.maxNodesPerDocument) +
                            " nodes (alias expansion is capped)");
    // Nesting in the text itself stops the reading: the parser's own stacks grow with it.
    if (depth > m_limits.maxDepth)
        limit(position, "nesting deeper than " + std::to_string(m_limits.maxDepth) + " levels",
              m_liveDepth > m_limits.maxDepth);
    if (Position &value = m_tree.position(node, true); value.column == 0)
        value = position;
    switch (type) {
    case Type::Scalar:
        *slot = kind == ScalarKind::String ? json(std::string(text)) : resolvePlain(text);
        break;
    case Type::SequenceStart:
        *slot = json::array();
        m_stack.push_back({slot, node, depth, false, reused});
        break;
    case Type::MappingStart:
        *slot = json::object();
        m_stack.push_back({slot, node, depth, true, reused});
        break;
    case Type::End:
    case Type::Alias:
        break;
    }
}

YamlDocument DocumentBuilder::finish() {
    YamlDocument doc;
    doc.value = std::move(m_root);
    doc.start = m_rootPosition;
    std::shared_ptr<const FieldTree> tree = std::make_shared<FieldTree>(m_tree);
    doc.keyPositions = FieldPositions(tree, false);
    doc.valuePositions = FieldPositions(tree, true);
    return doc;
}

} // namespace kd::manifest::detail
