import { timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";

/** A row's primary key: a random UUID. */
export const primaryId = () => uuid().primaryKey().defaultRandom();

/** A point in time, with its time zone (timestamptz). */
export const instant = () => timestamp({ withTimezone: true });

/** When the row was made (or last changed): now unless given. */
export const madeAt = () => instant().notNull().defaultNow();

/** The row this one belongs to, and is deleted with. */
export const partOf = (parent: () => AnyPgColumn) => uuid().notNull().references(parent, { onDelete: "cascade" });
