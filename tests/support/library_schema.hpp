// The library of the SQLAlchemy guides' many-to-many pattern: books and tags
// joined by the association table book_tags, which also says who added the
// tag (an association object when read as rows of its own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <ctorm/ctorm.hpp>

namespace library {

struct Book {
    std::int64_t id{};
    std::string title;
};
struct Tag {
    std::int64_t id{};
    std::string name;
};
// At most one per book: its key is the book's (a one-to-one relationship).
struct BookDetail {
    std::int64_t book_id{};
    std::string isbn;
    std::int32_t pages{};
};
struct BookTag {
    std::int64_t book_id{};
    std::int64_t tag_id{};
    std::optional<std::string> added_by{};
};

CTORM_TABLE(books, Book, (id, primary_key), (title, varchar<200>));
CTORM_TABLE(tags, Tag, (id, primary_key), (name, varchar<50>, unique));
CTORM_TABLE(book_details, BookDetail,
            (book_id, primary_key_no_autoincrement, references(books.id).on_delete(cascade)),
            (isbn, varchar<20>, unique),
            (pages));
CTORM_TABLE(book_tags, BookTag,
            (book_id, references(books.id).on_delete(cascade)),
            (tag_id, references(tags.id).on_delete(cascade), index),
            (added_by, varchar<50>));
CTORM_TABLE_CONSTRAINTS(book_tags, primary_key(book_tags.book_id, book_tags.tag_id));

// books.tags and tags.books: the same two columns, each way round.
inline constexpr auto book_tag_list = ctorm::many_to_many<"tags">(book_tags.book_id, book_tags.tag_id);
inline constexpr auto tag_books = ctorm::many_to_many<"books">(book_tags.tag_id, book_tags.book_id);
// The association rows themselves (with added_by), and the tag of each.
inline constexpr auto book_links = ctorm::one_to_many<"links">(books, book_tags.book_id);
inline constexpr auto link_tag = ctorm::many_to_one<"tag">(book_tags.tag_id);

// books.detail (a book has at most one: book_details.book_id is its primary
// key) and book_details.book, the other side.
inline constexpr auto book_detail = ctorm::one_to_one<"detail">(books, book_details.book_id);
inline constexpr auto detail_book = ctorm::many_to_one<"book">(book_details.book_id);

}  // namespace library
