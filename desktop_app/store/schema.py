"""The tables of a ledger file, for the whole product (GLOSSARY names), and its version."""

SCHEMA_VERSION = 5
APPLICATION_ID = 0x44434C47  # "DCLG": marks a SQLite file as a ledger, readable without our tables

# store.row_digests: one hash per row, for telling rows changed outside the app (since version 2).
ROW_DIGESTS = """
CREATE TABLE row_digests (
    tbl TEXT NOT NULL,
    rid INTEGER NOT NULL,
    digest TEXT NOT NULL,
    problem_id INTEGER,
    UNIQUE (tbl, rid)
);
"""

# Each statement stands alone so migrations can reuse them.
# What happens after the list (version 2): 回头看 rechecks, links of one problem across
# inspections, 督办 and 责任追究 (the old `accountability` table stays unused).
FOLLOW_UP_TABLES = """
CREATE TABLE rechecks (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    planned_on TEXT,
    done_on TEXT,
    checker TEXT NOT NULL DEFAULT '',
    result TEXT CHECK (result IS NULL OR result IN ('巩固','反弹','衍生新问题')),
    note TEXT NOT NULL DEFAULT '',
    new_problem_id INTEGER REFERENCES problems(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX rechecks_problem ON rechecks(problem_id, planned_on);
CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    problem_a INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    problem_b INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT '同一问题' CHECK (kind IN ('同一问题','同类问题')),
    note TEXT NOT NULL DEFAULT '',
    CHECK (problem_a <> problem_b),
    UNIQUE (problem_a, problem_b)
);
CREATE INDEX links_b ON links(problem_b);
CREATE TABLE supervisions (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER REFERENCES inspections(id) ON DELETE CASCADE,
    problem_id INTEGER REFERENCES problems(id) ON DELETE CASCADE,
    kind TEXT NOT NULL
        CHECK (kind IN ('函告','通报','约谈','挂牌督办','区域限批','公开曝光','移交问责')),
    issued_on TEXT,
    issued_by TEXT NOT NULL DEFAULT '',
    target_unit TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    document TEXT NOT NULL DEFAULT ''
);
CREATE TABLE accountability_cases (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER REFERENCES inspections(id) ON DELETE CASCADE,
    problem_id INTEGER REFERENCES problems(id) ON DELETE SET NULL,
    title TEXT NOT NULL DEFAULT '',
    decided_on TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE accountable_units (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES accountability_cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '党组织' CHECK (kind IN ('党组织','单位'))
);
CREATE TABLE accountable_persons (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES accountability_cases(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    post TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT '其他' CHECK (level IN ('厅级','处级','科级及以下','其他')),
    outcome TEXT NOT NULL DEFAULT ''
);
"""

TABLES = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '中央'
        CHECK (kind IN ('中央','省级','回头看','专项','警示片','信访交办','其他')),
    feedback_date TEXT,
    org TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES categories(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX categories_parent ON categories(inspection_id, parent_id, position);
CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    goal TEXT NOT NULL DEFAULT '',
    lead_official TEXT NOT NULL DEFAULT '',
    lead_unit TEXT NOT NULL DEFAULT '',
    support_units TEXT NOT NULL DEFAULT '',
    deadline_text TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    start_date TEXT,
    term TEXT NOT NULL DEFAULT '限期整改' CHECK (term IN ('限期整改','长期坚持','立行立改')),
    status TEXT NOT NULL DEFAULT '未启动'
        CHECK (status IN ('未启动','整改中','已完成','销号中','已销号')),
    completion TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX problems_category ON problems(category_id, position);
CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    completion TEXT NOT NULL DEFAULT ''
);
CREATE INDEX measures_problem ON measures(problem_id, position);
CREATE TABLE progress_reports (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    report_date TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    reporter TEXT NOT NULL DEFAULT '',
    status TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX progress_reports_problem ON progress_reports(problem_id, report_date);
CREATE TABLE deadline_changes (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    changed_on TEXT NOT NULL,
    old_text TEXT NOT NULL DEFAULT '',
    new_text TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    measure_id INTEGER REFERENCES measures(id) ON DELETE SET NULL,
    sha256 TEXT NOT NULL,
    display_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT '其他',
    caption TEXT NOT NULL DEFAULT '',
    taken_on TEXT,
    added_by TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX evidence_problem ON evidence(problem_id);
CREATE INDEX evidence_sha256 ON evidence(sha256);
CREATE TABLE signoffs (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('申请销号','验收','公示','已销号','退回')),
    applied_on TEXT,
    accepted_on TEXT,
    checklist TEXT NOT NULL DEFAULT '[]',
    publicity_start TEXT,
    publicity_end TEXT,
    publicity_working_days INTEGER,
    office TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    fax TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    notice_text TEXT NOT NULL DEFAULT '',
    signed_off_on TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE signoff_events (
    id INTEGER PRIMARY KEY,
    signoff_id INTEGER NOT NULL REFERENCES signoffs(id) ON DELETE CASCADE,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    on_date TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE petitions (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER REFERENCES inspections(id) ON DELETE CASCADE,
    code TEXT NOT NULL DEFAULT '',
    received_on TEXT,
    source TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    lead_unit TEXT NOT NULL DEFAULT '',
    concluded_on TEXT,
    signed_off_on TEXT,
    remarks TEXT NOT NULL DEFAULT ''
);
CREATE TABLE accountability (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    problem_id INTEGER REFERENCES problems(id) ON DELETE SET NULL,
    target TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL DEFAULT '',
    decided_on TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE holidays (
    day TEXT PRIMARY KEY,
    is_workday INTEGER NOT NULL CHECK (is_workday IN (0, 1)),
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    os_user TEXT NOT NULL,
    app_user TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
""" + ROW_DIGESTS + FOLLOW_UP_TABLES

# 汇总 (merge): each org's last merged 上报包, and which county row each township row became:
# a township row with low <= id <= high in merged_ranges is county row id + shift (a first package
# is copied so, its ids shifted), any other is listed in merged_rows. Problems are always listed,
# with source_remarks: the township's 备注 as last merged, to tell the county's own edits apart.
MERGE_TABLES = """
CREATE TABLE merge_sources (
    org TEXT PRIMARY KEY,
    period TEXT NOT NULL,
    made_at TEXT NOT NULL,
    made_by TEXT NOT NULL DEFAULT '',
    package_sha256 TEXT NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    merged_at TEXT NOT NULL
);
CREATE TABLE merged_rows (
    tbl TEXT NOT NULL,
    org TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    local_id INTEGER NOT NULL,
    source_remarks TEXT,
    PRIMARY KEY (tbl, org, source_id)
);
CREATE INDEX merged_rows_local ON merged_rows(tbl, local_id);
CREATE TABLE merged_ranges (
    tbl TEXT NOT NULL,
    org TEXT NOT NULL,
    low INTEGER NOT NULL,
    high INTEGER NOT NULL,
    shift INTEGER NOT NULL,
    PRIMARY KEY (tbl, org, low)
);
"""
TABLES += MERGE_TABLES
