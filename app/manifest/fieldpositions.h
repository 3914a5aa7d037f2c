#pragma once
// Where each field of a YAML document was written, looked up by canonical field path.
// A document's paths are kept once, as a tree of segments shared by its key and value positions:
// a 20,000-document file has close to a million fields, and a string per path per map would cost
// more memory than the documents themselves.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kd::manifest {

struct Position {
    int line = 0;   // 1-based
    int column = 0; // 1-based
};

// Field paths in the form the Kubernetes API uses in Status causes:
// `spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]`. Map keys that are not
// plain identifiers are bracketed. canonicalPath normalises `a.b` and `a[b]` to one form so a
// server's cause can be found in keyPositions.
std::string appendKey(const std::string &path, std::string_view key);
std::string appendIndex(const std::string &path, std::size_t index);
std::string canonicalPath(std::string_view fieldPath);

// The fields of one document, segment by segment, each with the position of its key and of its
// value. Node 0 is the document's root value; its path is "". A path is spelled exactly as
// appendKey and appendIndex spell it.
class FieldTree {
public:
    static constexpr std::uint32_t kRoot = 0;
    static constexpr std::uint32_t kNone = UINT32_MAX;

    FieldTree();
    void clear(); // back to just the root, keeping the memory

    // Adds a child; the caller makes sure it is not there yet (see findKey / findIndex).
    std::uint32_t addKey(std::uint32_t parent, std::string_view key);
    std::uint32_t addIndex(std::uint32_t parent, std::size_t index);
    std::uint32_t findKey(std::uint32_t parent, std::string_view key) const;
    std::uint32_t findIndex(std::uint32_t parent, std::size_t index) const;

    // The node spelled `path`, or kNone.
    std::uint32_t find(std::string_view path) const;
    std::string path(std::uint32_t node) const;
    std::size_t size() const { return m_nodes.size(); }

    // Column 0: no position (the root has no key; a field is given its value when it is read).
    Position &position(std::uint32_t node, bool value) {
        return value ? m_nodes[node].value : m_nodes[node].key;
    }
    const Position &position(std::uint32_t node, bool value) const {
        return value ? m_nodes[node].value : m_nodes[node].key;
    }

private:
    static constexpr std::uint32_t kIndex = UINT32_MAX; // Node::length of an index segment
    struct Node {
        std::uint32_t parent;
        std::uint32_t segment; // offset of the key in m_keys, or the index
        std::uint32_t length;  // length of the key, or kIndex
        Position key;
        Position value;
    };

    std::uint32_t add(std::uint32_t parent, std::uint32_t segment, std::uint32_t length);
    std::uint32_t findSegment(std::uint32_t parent, std::uint32_t length, std::string_view key,
                              std::uint32_t index) const;
    std::size_t hashOf(std::uint32_t parent, std::uint32_t length, std::string_view key,
                       std::uint32_t index) const;
    void insertSlot(std::uint32_t node);
    std::uint32_t match(std::uint32_t node, std::string_view rest) const;
    std::string_view keyOf(const Node &node) const {
        return std::string_view(m_keys).substr(node.segment, node.length);
    }

    std::vector<Node> m_nodes;
    std::string m_keys;
    // Open-addressing hash of the nodes (slot = node + 1, 0 = empty), built once a document has
    // enough fields for a scan of them all to be slow; small documents never pay for it.
    std::vector<std::uint32_t> m_slots;
};

// The key or the value positions of a FieldTree, read like a std::map from path to Position:
// find / end / at / count / contains, and iteration in document order. Copies share the tree
// until one is changed through a non-const iterator.
class FieldPositions {
    template<bool Const> class Iterator;

public:
    template<bool Const> struct Entry {
        std::string first; // the path
        std::conditional_t<Const, const Position, Position> &second;
    };
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;

    FieldPositions() = default;
    FieldPositions(std::shared_ptr<const FieldTree> tree, bool values);

    const_iterator find(std::string_view path) const;
    const Position &at(std::string_view path) const; // throws std::out_of_range
    bool contains(std::string_view path) const { return node(path) != FieldTree::kNone; }
    std::size_t count(std::string_view path) const { return contains(path) ? 1 : 0; }
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    iterator begin();
    iterator end();
    const_iterator begin() const;
    const_iterator end() const;

private:
    static bool present(const Position &p) { return p.column != 0; }
    const Position &positionOf(std::uint32_t node) const {
        return m_tree->position(node, m_values);
    }
    Position &positionOf(std::uint32_t node);
    std::uint32_t node(std::string_view path) const;
    std::uint32_t nextPresent(std::uint32_t from) const;

    std::shared_ptr<const FieldTree> m_tree;
    bool m_values = false;
    std::size_t m_size = 0;
};

// Iterators build the path of their entry when dereferenced and keep it until they move on, so
// `it->second` refers to the stored position while the path is a plain string.
template<bool Const> class FieldPositions::Iterator {
public:
    using Owner = std::conditional_t<Const, const FieldPositions, FieldPositions>;
    using value_type = Entry<Const>;
    using difference_type = std::ptrdiff_t;

    Iterator(Owner *owner, std::uint32_t node)
        : m_owner(owner)
        , m_node(node) {}
    Iterator(const Iterator &other)
        : m_owner(other.m_owner)
        , m_node(other.m_node) {}
    Iterator &operator=(const Iterator &other) {
        m_owner = other.m_owner;
        m_node = other.m_node;
        m_entry.reset();
        return *this;
    }

    value_type &operator*() const {
        if (!m_entry)
            m_entry.emplace(value_type{m_owner->m_tree->path(m_node), m_owner->positionOf(m_node)});
        return *m_entry;
    }
    value_type *operator->() const { return &**this; }
    Iterator &operator++() {
        m_node = m_owner->nextPresent(m_node + 1);
        m_entry.reset();
        return *this;
    }
    template<bool OtherConst> bool operator==(const Iterator<OtherConst> &other) const {
        return m_node == other.m_node;
    }

private:
    template<bool> friend class Iterator;

    Owner *m_owner;
    std::uint32_t m_node;
    mutable std::optional<value_type> m_entry;
};

} // namespace kd::manifest
