-- Front office (C6): counters with their weekly opening hours and closures,
-- the minimum weekly hours by population, topics, the bookable availability
-- of a counter for a topic, and appointments.
--
-- Slots are not stored: they are computed from hours - closures - holidays.
-- What is stored is each booking, holding one numbered seat of its slot:
-- UNIQUE (availability_id, start_at, seat) with 1 <= seat <= capacity
-- (capacity copied from the availability when the seat is taken) means the
-- database itself never holds more bookings for a slot than it has places,
-- whatever the interleaving of concurrent requests. A cancelled or moved
-- appointment gives its seat back (seat NULL: NULLs never collide).

-- Minimum weekly opening hours by population (tender table; replaced by
-- `sportello counter minimums import FILE.csv`). pop_to NULL: no upper bound.
CREATE TABLE agenda_min_hours (
  id @PK@,
  pop_from BIGINT NOT NULL,
  pop_to BIGINT,
  min_minutes BIGINT NOT NULL CHECK (min_minutes >= 0),
  source TEXT,
  note TEXT,
  UNIQUE (pop_from)
);
INSERT INTO agenda_min_hours (pop_from, pop_to, min_minutes, source, note) VALUES
  (0, 5000, 240, 'tender specification', 'sportelli_orari_minimi.csv'),
  (5000, 30000, 900, 'tender specification', 'sportelli_orari_minimi.csv'),
  (30000, 60000, 1200, 'tender specification', 'sportelli_orari_minimi.csv'),
  (60000, NULL, 1440, 'tender specification', 'sportelli_orari_minimi.csv');

CREATE TABLE agenda_counter (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  name TEXT NOT NULL,
  place TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, name)
);

-- One opening interval of a weekday (1 = Monday .. 6 = Saturday), in
-- minutes from local midnight (Europe/Rome). The intervals with the same
-- valid_from form a timetable; on a given day the timetable with the latest
-- valid_from not after that day applies.
CREATE TABLE agenda_hours (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  counter_id BIGINT NOT NULL REFERENCES agenda_counter (id),
  valid_from TEXT NOT NULL,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 6),
  start_min INTEGER NOT NULL CHECK (start_min >= 0 AND start_min < 1440),
  end_min INTEGER NOT NULL CHECK (end_min > start_min AND end_min <= 1440),
  created_at BIGINT NOT NULL,
  UNIQUE (counter_id, valid_from, weekday, start_min)
);
CREATE INDEX agenda_hours_counter ON agenda_hours (ente_id, counter_id, valid_from);

-- Closures agreed with the Ente: whole days from_day..to_day (inclusive),
-- one counter or, with counter_id NULL, every counter of the Ente.
CREATE TABLE agenda_closure (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  counter_id BIGINT REFERENCES agenda_counter (id),
  from_day TEXT NOT NULL,
  to_day TEXT NOT NULL CHECK (to_day >= from_day),
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX agenda_closure_days ON agenda_closure (ente_id, to_day);

CREATE TABLE agenda_topic (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (ente_id, code)
);

-- A counter's opening hours made bookable for a topic, at the counter or
-- by video (video = 1), with the slot rules.
CREATE TABLE agenda_availability (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  counter_id BIGINT NOT NULL REFERENCES agenda_counter (id),
  topic_id BIGINT NOT NULL REFERENCES agenda_topic (id),
  video INTEGER NOT NULL DEFAULT 0,
  slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 480),
  buffer_minutes INTEGER NOT NULL CHECK (buffer_minutes BETWEEN 0 AND 240),
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 50),
  horizon_days INTEGER NOT NULL CHECK (horizon_days BETWEEN 1 AND 366),
  notice_minutes INTEGER NOT NULL CHECK (notice_minutes BETWEEN 0 AND 20160),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (counter_id, topic_id, video)
);
CREATE INDEX agenda_availability_topic ON agenda_availability (ente_id, topic_id);

CREATE TABLE agenda_appointment (
  id @PK@,
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  availability_id BIGINT NOT NULL REFERENCES agenda_availability (id),
  counter_id BIGINT NOT NULL REFERENCES agenda_counter (id),
  topic_id BIGINT NOT NULL REFERENCES agenda_topic (id),
  start_at BIGINT NOT NULL,          -- Unix seconds UTC
  end_at BIGINT NOT NULL,
  seat INTEGER,                      -- NULL once cancelled or moved
  capacity INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'moved', 'attended', 'no_show')),
  video INTEGER NOT NULL DEFAULT 0,
  room_id TEXT UNIQUE,               -- video: 32 hex digits (128 random bits)
  name TEXT NOT NULL,
  fiscal_code TEXT NOT NULL,
  email TEXT,
  mobile TEXT,
  sms_consent INTEGER NOT NULL DEFAULT 0,
  reason TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'api', 'counter', 'phone')),
  token_hash TEXT UNIQUE,            -- SHA-256 hex of the cancel/change token
  moved_to BIGINT,                   -- the appointment that replaced this one
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CHECK (seat IS NULL OR (seat >= 1 AND seat <= capacity)),
  CHECK ((seat IS NULL) = (state IN ('cancelled', 'moved'))),
  UNIQUE (availability_id, start_at, seat)
);
CREATE INDEX agenda_appointment_day ON agenda_appointment (ente_id, start_at);
CREATE INDEX agenda_appointment_cf ON agenda_appointment (ente_id, fiscal_code, start_at);

-- One row per (Ente, fiscal code) that has booked: locked (updated) by each
-- booking of that fiscal code so the limit of active bookings is checked
-- by one booking at a time.
CREATE TABLE agenda_citizen (
  ente_id BIGINT NOT NULL REFERENCES ente (id),
  fiscal_code TEXT NOT NULL,
  last_booking_at BIGINT NOT NULL,
  PRIMARY KEY (ente_id, fiscal_code)
);
