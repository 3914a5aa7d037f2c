#include "manifest/fieldpositions.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <stdexcept>

namespace kd::manifest {

namespace {

bool isIdentifierChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$';
}

bool isPlainIdentifier(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), isIdentifierChar);
}

// An index as appendIndex spells it: decimal digits without a leading zero.
std::optional<std::uint32_t> parseIndex(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text[0] == '0'))
        return std::nullopt;
    std::uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == FieldTree::kNone)
        return std::nullopt;
    return value;
}

constexpr std::size_t kHashFrom = 64; // nodes; below this a lookup scans them

} // namespace

std::string appendKey(const std::string &path, std::string_view key) {
    if (isPlainIdentifier(key))
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    return path + "[" + std::string(key) + "]";
}

std::string appendIndex(const std::string &path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string canonicalPath(std::string_view fieldPath) {
    std::string out;
    std::size_t i = 0;
    while (i < fieldPath.size()) {
        if (fieldPath[i] == '.') {
            ++i;
            continue;
        }
        if (fieldPath[i] == '[') {
            std::size_t close = fieldPath.find(']', i);
            if (close == std::string_view::npos)
                close = fieldPath.size();
            std::string_view inner = fieldPath.substr(i + 1, close - i - 1);
            bool numeric = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c));
            });
            out = numeric ? out + "[" + std::string(inner) + "]" : appendKey(out, inner);
            i = close + 1;
            continue;
        }
        std::size_t end = fieldPath.find_first_of(".[", i);
        if (end == std::string_view::npos)
            end = fieldPath.size();
        out = appendKey(out, fieldPath.substr(i, end - i));
        i = end;
    }
    return out;
}

// --- FieldTree ------------------------------------------------------------------------------

FieldTree::FieldTree() {
    clear();
}

void FieldTree::clear() {
    m_nodes.clear();
    m_keys.clear();
    m_slots.clear();
    m_nodes.push_back({kNone, 0, 0, {}, {}});
}

std::uint32_t FieldTree::addKey(std::uint32_t parent, std::string_view key) {
    if (key.size() >= kIndex || m_keys.size() > kIndex - 1 - key.size())
        throw std::length_error("the document's keys are too long to index");
    const auto offset = static_cast<std::uint32_t>(m_keys.size());
    m_keys.append(key);
    return add(parent, offset, static_cast<std::uint32_t>(key.size()));
}

std::uint32_t FieldTree::addIndex(std::uint32_t parent, std::size_t index) {
    if (index >= kNone)
        throw std::length_error("the sequence is too long to index");
    return add(parent, static_cast<std::uint32_t>(index), kIndex);
}

std::uint32_t FieldTree::add(std::uint32_t parent, std::uint32_t segment, std::uint32_t length) {
    if (m_nodes.size() >= kNone - 1)
        throw std::length_error("the document has too many fields to index");
    const auto id = static_cast<std::uint32_t>(m_nodes.size());
    m_nodes.push_back({parent, segment, length, {}, {}});
    if (m_nodes.size() == kHashFrom || (!m_slots.empty() && m_nodes.size() * 2 > m_slots.size())) {
        m_slots.assign(std::max<std::size_t>(m_slots.size() * 2, kHashFrom * 4), 0);
        for (std::uint32_t n = 1; n < m_nodes.size(); ++n)
            insertSlot(n);
    } else if (!m_slots.empty()) {
        insertSlot(id);
    }
    return id;
}

std::size_t FieldTree::hashOf(std::uint32_t parent, std::uint32_t length, std::string_view key,
                              std::uint32_t index) const {
    const std::size_t h = length == kIndex ? std::size_t{index} * 0x9E3779B97F4A7C15ull
                                           : std::hash<std::string_view>{}(key);
    return h ^ (std::size_t{parent} * 0xC2B2AE3D27D4EB4Full + (h << 6) + (h >> 2));
}

void FieldTree::insertSlot(std::uint32_t node) {
    const Node &n = m_nodes[node];
    const std::size_t mask = m_slots.size() - 1;
    std::size_t slot =
        hashOf(n.parent, n.length, n.length == kIndex ? std::string_view() : keyOf(n), n.segment) &
        mask;
    while (m_slots[slot] != 0)
        slot = (slot + 1) & mask;
    m_slots[slot] = node + 1;
}

std::uint32_t FieldTree::findSegment(std::uint32_t parent, std::uint32_t length,
                                     std::string_view key, std::uint32_t index) const {
    auto same = [&](const Node &n) {
        return n.parent == parent && n.length == length &&
               (length == kIndex ? n.segment == index : keyOf(n) == key);
    };
    if (m_slots.empty()) {
        for (std::uint32_t n = parent + 1; n < m_nodes.size(); ++n)
            if (same(m_nodes[n]))
                return n;
        return kNone;
    }
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t slot = hashOf(parent, length, key, index) & mask; m_slots[slot] != 0;
         slot = (slot + 1) & mask)
        if (same(m_nodes[m_slots[slot] - 1]))
            return m_slots[slot] - 1;
    return kNone;
}

std::uint32_t FieldTree::findKey(std::uint32_t parent, std::string_view key) const {
    if (key.size() >= kIndex)
        return kNone;
    return findSegment(parent, static_cast<std::uint32_t>(key.size()), key, 0);
}

std::uint32_t FieldTree::findIndex(std::uint32_t parent, std::size_t index) const {
    if (index >= kNone)
        return kNone;
    return findSegment(parent, kIndex, {}, static_cast<std::uint32_t>(index));
}

std::uint32_t FieldTree::find(std::string_view path) const {
    return match(kRoot, path);
}

// Reads one segment of `rest` below `node` and goes on with the child it names. A bracketed key
// may itself hold ']', so every closing bracket is tried as the end of the segment.
std::uint32_t FieldTree::match(std::uint32_t node, std::string_view rest) const {
    if (rest.empty())
        return node;
    if (rest[0] == '[') {
        for (std::size_t close = rest.find(']', 1); close != std::string_view::npos;
             close = rest.find(']', close + 1)) {
            const std::string_view inner = rest.substr(1, close - 1);
            std::uint32_t child = kNone;
            if (auto index = parseIndex(inner))
                child = findIndex(node, *index);
            else if (!isPlainIdentifier(inner))
                child = findKey(node, inner);
            if (child != kNone)
                if (std::uint32_t found = match(child, rest.substr(close + 1)); found != kNone)
                    return found;
        }
        return kNone;
    }
    if (node != kRoot) {
        if (rest[0] != '.')
            return kNone;
        rest.remove_prefix(1);
    }
    const auto end = static_cast<std::size_t>(
        std::find_if_not(rest.begin(), rest.end(), isIdentifierChar) - rest.begin());
    if (end == 0)
        return kNone;
    const std::uint32_t child = findKey(node, rest.substr(0, end));
    return child == kNone ? kNone : match(child, rest.substr(end));
}

std::string FieldTree::path(std::uint32_t node) const {
    std::vector<std::uint32_t> chain;
    for (std::uint32_t n = node; n != kRoot && n < m_nodes.size(); n = m_nodes[n].parent)
        chain.push_back(n);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const Node &n = m_nodes[*it];
        if (n.length == kIndex)
            out = appendIndex(out, n.segment);
        else
            out = appendKey(out, keyOf(n));
    }
    return out;
}

// --- FieldPositions -------------------------------------------------------------------------

FieldPositions::FieldPositions(std::shared_ptr<const FieldTree> tree, bool values)
    : m_tree(std::move(tree))
    , m_values(values) {
    for (std::uint32_t n = 0; m_tree && n < m_tree->size(); ++n)
        m_size += present(m_tree->position(n, m_values)) ? 1 : 0;
}

// The tree is shared with the document's other positions and with copies; changing a position
// changes this object's own copy of it.
Position &FieldPositions::positionOf(std::uint32_t node) {
    if (m_tree.use_count() > 1)
        m_tree = std::make_shared<FieldTree>(*m_tree);
    // Every tree is made non-const (make_shared<FieldTree>) and this one is now ours alone.
    return const_cast<FieldTree &>(*m_tree).position(node, m_values);
}

std::uint32_t FieldPositions::node(std::string_view path) const {
    if (!m_tree)
        return FieldTree::kNone;
    const std::uint32_t n = m_tree->find(path);
    return n != FieldTree::kNone && present(positionOf(n)) ? n : FieldTree::kNone;
}

std::uint32_t FieldPositions::nextPresent(std::uint32_t from) const {
    for (std::uint32_t n = from; m_tree && n < m_tree->size(); ++n)
        if (present(positionOf(n)))
            return n;
    return FieldTree::kNone;
}

FieldPositions::const_iterator FieldPositions::find(std::string_view path) const {
    return const_iterator(this, node(path));
}

const Position &FieldPositions::at(std::string_view path) const {
    const std::uint32_t n = node(path);
    if (n == FieldTree::kNone)
        throw std::out_of_range("no field at \"" + std::string(path) + "\"");
    return positionOf(n);
}

FieldPositions::iterator FieldPositions::begin() {
    return iterator(this, nextPresent(0));
}

FieldPositions::iterator FieldPositions::end() {
    return iterator(this, FieldTree::kNone);
}

FieldPositions::const_iterator FieldPositions::begin() const {
    return const_iterator(this, nextPresent(0));
}

FieldPositions::const_iterator FieldPositions::end() const {
    return const_iterator(this, FieldTree::kNone);
}

} // namespace kd::manifest
