-- The second schema: what issue 17's review asked of the first.
--
-- The interviewer's evidence is kept apart from the grader's facts: a
-- re-grade fills a card's evidence only while evidence_edited is 0.
ALTER TABLE answers ADD COLUMN evidence_edited INTEGER NOT NULL DEFAULT 0
    CHECK (evidence_edited IN (0, 1));
-- Before this column the page copied the grader's facts into the evidence
-- and the interviewer edited that same text; which words were whose is
-- not known, so what is there is kept as the interviewer's.
UPDATE answers SET evidence_edited = 1 WHERE evidence <> '';
-- When a coding question was started (time to first pass counts from it).
ALTER TABLE answers ADD COLUMN started_at INTEGER;
-- The phase a version was graded in, and the grader's facts of its
-- verdict, so versions can be listed without their source and verdict.
-- facts is NULL for versions graded before this column; the store fills
-- it from verdict_json when it opens the file.
ALTER TABLE code_versions ADD COLUMN phase INTEGER;
ALTER TABLE code_versions ADD COLUMN facts TEXT;
