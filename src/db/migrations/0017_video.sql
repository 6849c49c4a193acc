-- Video appointments: the room of a video appointment and what passes
-- through it.
--
-- The room id (128 random bits, 32 hex digits) is the citizen's key to the
-- call: it is shown once (confirmation mail, API answer) and only its
-- SHA-256 is stored, in room_hash; a lookup by hash leaks nothing about the
-- id through timing. Rows booked before this migration keep their plain
-- room_id (not hashed: SHA-256 is not available in SQL) and cannot be
-- joined; they are test data only.
--
-- The operator who first speaks in the room (signal or chat) is bound to
-- it (video_operator_id); other staff of the Ente are refused afterwards.
-- video_seq numbers the room's messages: each writer increments it under
-- the appointment's row lock, so messages commit in seq order and a reader
-- that has seen seq n has seen every message before it.
ALTER TABLE agenda_appointment ADD COLUMN room_hash TEXT;
ALTER TABLE agenda_appointment ADD COLUMN video_operator_id BIGINT REFERENCES app_user (id);
ALTER TABLE agenda_appointment ADD COLUMN video_seq BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX agenda_appointment_room ON agenda_appointment (room_hash);

-- Messages of a room: signalling (join, offer, answer, ICE candidate, bye: for
-- the other peer only, transient) and the text chat (kept with the
-- appointment, shown to the operator afterwards).
CREATE TABLE video_message (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  appointment_id BIGINT NOT NULL REFERENCES agenda_appointment (id),
  seq BIGINT NOT NULL,
  sender TEXT NOT NULL CHECK (sender IN ('citizen', 'operator')),
  kind TEXT NOT NULL CHECK (kind IN ('join', 'offer', 'answer', 'candidate', 'bye', 'chat')),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (appointment_id, seq)
);
CREATE INDEX video_message_sender ON video_message (appointment_id, sender, created_at);
