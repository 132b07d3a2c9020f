// expect: ctorm: joinedload\(\) of a collection \(see the relationship type below\) in a query with limit\(\) or offset\(\) limits the owners by their key
// Rule: with limit() or offset(), joinedload of a collection limits the
// owners in a subquery of their one-column key (WHERE key IN (SELECT key ...
// LIMIT ...)), so that the limit counts owners, not joined rows; an owner
// with a composite key is loaded with selectinload instead.
#include <cstddef>
#include <cstdint>
#include <string>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

namespace store {
struct Shelf {
    std::int64_t room{};
    std::int64_t number{};
    std::string label;
};
struct Box {
    std::int64_t id{};
    std::int64_t room{};
};
CTORM_TABLE(shelves, Shelf, (room, unique), (number), (label));
CTORM_TABLE_CONSTRAINTS(shelves, primary_key(shelves.room, shelves.number));
CTORM_TABLE(boxes, Box, (id, primary_key), (room, references(shelves.room)));
inline constexpr auto shelf_boxes = ctorm::one_to_many<"boxes">(shelves, boxes.room);
}  // namespace store

using namespace store;

inline std::size_t all_shelves(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(shelves).limit(10), ctorm::selectinload(shelf_boxes)).size() +
           s.all(select(shelves), ctorm::joinedload(shelf_boxes)).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t first_shelves(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(shelves).limit(10), ctorm::joinedload(shelf_boxes)).size();
}
#endif
