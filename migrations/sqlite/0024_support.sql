-- Support for project holders (« Je porte un projet », `/accompagnement`). Structures flagged
-- as support networks choose the territories and needs they cover; a holder's request, once its
-- address is confirmed, is routed to the networks that cover its commune and one of its needs;
-- one advisor (a manager of a routed network) takes it; holder and advisor write to each other
-- through the portal; the advisor closes it with an outcome.
CREATE TABLE support_networks (
    structure_id INTEGER PRIMARY KEY REFERENCES structures (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

CREATE TABLE support_network_territories (
    network_id INTEGER NOT NULL REFERENCES support_networks (structure_id) ON DELETE CASCADE,
    territory_id INTEGER NOT NULL REFERENCES territories (id) ON DELETE CASCADE,
    PRIMARY KEY (network_id, territory_id)
);

CREATE TABLE support_network_needs (
    network_id INTEGER NOT NULL REFERENCES support_networks (structure_id) ON DELETE CASCADE,
    need TEXT NOT NULL CHECK (need IN ('financement', 'statut', 'locaux', 'partenaires', 'formation')),
    PRIMARY KEY (network_id, need)
);

CREATE TABLE support_requests (
    id INTEGER PRIMARY KEY,
    holder_name TEXT NOT NULL,
    holder_email TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    sector_id INTEGER REFERENCES sectors (id) ON DELETE SET NULL,
    commune_id INTEGER NOT NULL REFERENCES territories (id),
    stage TEXT NOT NULL CHECK (stage IN ('idee', 'etude', 'creation', 'developpement')),
    status TEXT NOT NULL CHECK (status IN ('a-confirmer', 'en-attente', 'prise', 'close')),
    advisor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    network_id INTEGER REFERENCES structures (id) ON DELETE SET NULL,
    outcome TEXT CHECK (outcome IN ('accompagnement', 'orientation', 'sans-suite', 'abandon')),
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    taken_at TEXT,
    closed_at TEXT
);
CREATE INDEX support_requests_status ON support_requests (status, created_at);
CREATE INDEX support_requests_user ON support_requests (user_id);

CREATE TABLE support_request_needs (
    request_id INTEGER NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    need TEXT NOT NULL CHECK (need IN ('financement', 'statut', 'locaux', 'partenaires', 'formation')),
    PRIMARY KEY (request_id, need)
);

-- The networks a confirmed request was sent to.
CREATE TABLE support_routes (
    request_id INTEGER NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    network_id INTEGER NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, network_id)
);
CREATE INDEX support_routes_network ON support_routes (network_id);

-- The holder's private links (only their SHA-256): each mail to the holder carries a fresh one,
-- valid as long as the request exists.
CREATE TABLE support_links (
    hash TEXT PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX support_links_request ON support_links (request_id);

CREATE TABLE support_messages (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES support_requests (id) ON DELETE CASCADE,
    author TEXT NOT NULL CHECK (author IN ('porteur', 'conseiller')),
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX support_messages_request ON support_messages (request_id, id);
