-- News articles, the editable information pages, their revisions, uploaded images, and the
-- editor role.

-- A site role is now one of three: 0 member, 1 admin, 2 editor (writes news and info pages).
ALTER TABLE users RENAME COLUMN is_admin TO site_role;

-- Uploaded images. The file lives in the media folder under `name` (the first 32 hex digits of
-- the SHA-256 of its bytes, and the extension of its sniffed type), so a name never changes
-- meaning and can be cached for ever.
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);

-- An article is visible to visitors when it is published and its publication date has come
-- (a later date makes it scheduled). `body` is the Markdown typed; `body_html` its cleaned
-- rendering, made at each save.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    published_at TEXT NOT NULL,
    image_id INTEGER REFERENCES media (id) ON DELETE SET NULL,
    image_alt TEXT NOT NULL DEFAULT '',
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- The author's name as it was, so a byline survives the account's deletion.
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX articles_visible ON articles (status, published_at);

CREATE TABLE keywords (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE article_keywords (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    keyword_id INTEGER NOT NULL REFERENCES keywords (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, keyword_id)
);
CREATE INDEX article_keywords_keyword ON article_keywords (keyword_id);

-- What an article mentions: the directory entries, clubs and events its body links to (exactly
-- one of the three per row), found at each save.
CREATE TABLE article_mentions (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    structure_id INTEGER REFERENCES structures (id) ON DELETE CASCADE,
    club_id INTEGER REFERENCES clubs (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES events (id) ON DELETE CASCADE,
    CHECK ((structure_id IS NOT NULL) + (club_id IS NOT NULL) + (event_id IS NOT NULL) = 1)
);
CREATE INDEX article_mentions_article ON article_mentions (article_id);
CREATE INDEX article_mentions_structure ON article_mentions (structure_id);
CREATE INDEX article_mentions_club ON article_mentions (club_id);
CREATE INDEX article_mentions_event ON article_mentions (event_id);

-- The information pages (« Qu'est-ce que l'ESS ? », …). A page without a row shows the text
-- the portal ships with; the first save creates its row.
CREATE TABLE info_pages (
    slug TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every save of an article or an information page (exactly one of the two), as it was saved:
-- who, when, and the text. Restoring one saves it again as a new revision.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    page_slug TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The keywords as typed, for an article.
    keywords TEXT NOT NULL DEFAULT '',
    editor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    editor_name TEXT NOT NULL,
    -- The revision this one restored, if any.
    restored_from INTEGER,
    created_at TEXT NOT NULL,
    CHECK ((article_id IS NULL) <> (page_slug IS NULL))
);
CREATE INDEX revisions_article ON revisions (article_id, id);
CREATE INDEX revisions_page ON revisions (page_slug, id);
