/**
 * `DbBlobStore`: blobs as 1 MiB chunks in the store's own database (PostgreSQL `bytea`, SQLite `blob`), so every
 * machine of a cluster reads the same bytes through PostgreSQL. Chunks rather than one value keep each row far below
 * PostgreSQL's 1 GB field limit and the driver's single-buffer copies small; a put replaces all chunks of a key in one
 * transaction, so readers see old or new bytes, never a mix.
 */
import type { Kysely } from 'kysely';
import { type BlobInfo, type BlobStore, checkBlobKey, readLocation, sha256 } from './blobs.js';
import { num } from './rows.js';
import type { Database } from './schema.js';

export const BLOB_CHUNK_BYTES = 1 << 20;

export class DbBlobStore implements BlobStore {
  readonly backend = 'database' as const;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly chunkBytes = BLOB_CHUNK_BYTES,
  ) {}

  async put(key: string, bytes: Uint8Array): Promise<BlobInfo> {
    checkBlobKey(key);
    const info = { key, size: bytes.length, sha256: sha256(bytes) };
    const n = Math.max(1, Math.ceil(bytes.length / this.chunkBytes));
    await this.db.transaction().execute(async (t) => {
      await t.deleteFrom('blob_chunks').where('key', '=', key).execute();
      await t.deleteFrom('blobs').where('key', '=', key).execute();
      for (let i = 0; i < n; i++) {
        const data = bytes.subarray(i * this.chunkBytes, Math.min(bytes.length, (i + 1) * this.chunkBytes));
        await t
          .insertInto('blob_chunks')
          .values({ key, n: i, data: Buffer.from(data) })
          .execute();
      }
      await t
        .insertInto('blobs')
        .values({ key, size: bytes.length, sha256: info.sha256, chunks: n, created_at: Date.now() })
        .execute();
    });
    return info;
  }

  async get(key: string): Promise<Uint8Array | null> {
    checkBlobKey(key);
    // Repeatable read (SQLite ignores the level; its transaction is one snapshot anyway): head and chunks agree.
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (t) => {
        const head = await t.selectFrom('blobs').select(['size', 'chunks']).where('key', '=', key).executeTakeFirst();
        if (!head) return null;
        const out = new Uint8Array(num(head.size));
        let at = 0;
        // One chunk per query: memory stays at one chunk plus the result, whatever the blob's size.
        for (let i = 0; i < num(head.chunks); i++) {
          const row = await t
            .selectFrom('blob_chunks')
            .select('data')
            .where('key', '=', key)
            .where('n', '=', i)
            .executeTakeFirstOrThrow();
          out.set(row.data, at);
          at += row.data.length;
        }
        return out;
      });
  }

  async has(key: string): Promise<boolean> {
    checkBlobKey(key);
    return (await this.db.selectFrom('blobs').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
  }

  async delete(key: string): Promise<boolean> {
    checkBlobKey(key);
    return this.db.transaction().execute(async (t) => {
      await t.deleteFrom('blob_chunks').where('key', '=', key).execute();
      const r = await t.deleteFrom('blobs').where('key', '=', key).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  read(location: string): Promise<Uint8Array> {
    return readLocation(this, location);
  }
}
