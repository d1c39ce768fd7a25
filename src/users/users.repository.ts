import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import { User, UserRole } from './user.entity';

/** A user together with the password hash, which normal reads never load. */
export type UserWithPasswordHash = User & { passwordHash: string };

export interface NewUserRow {
  email: string;
  passwordHash: string;
  name: string | null;
  role: UserRole;
}

const UNIQUE_VIOLATION = '23505';

const UPSERT_ADMIN_SQL = `
  INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'admin')
  ON CONFLICT ((lower(email))) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash, updated_at = now()
  RETURNING id`;

/** Every query of the `users` table (emails are given lower-cased). */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email });
  }

  /** The one read that loads the password hash (for login). */
  findByEmailWithPasswordHash(email: string): Promise<UserWithPasswordHash | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email })
      .getOne();
  }

  /** The new user's id, or `null` when the email is taken (in any letter case). */
  async insert(user: NewUserRow): Promise<string | null> {
    try {
      const inserted = await this.users.insert(user);
      return inserted.identifiers[0].id as string;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        return null;
      }
      throw error;
    }
  }

  /** Creates the admin, or promotes the existing account and sets its password: one statement, race-free. */
  async upsertAdmin(email: string, passwordHash: string): Promise<string> {
    const rows: { id: string }[] = await this.users.query(UPSERT_ADMIN_SQL, [email, passwordHash]);
    return rows[0].id;
  }

  /** Runs `work` in one transaction, with a repository bound to it (and its manager, for events). */
  transaction<T>(work: (users: UsersRepository, manager: EntityManager) => Promise<T>): Promise<T> {
    return this.users.manager.transaction((manager) => work(new UsersRepository(manager.getRepository(User)), manager));
  }

  save(user: User): Promise<User> {
    return this.users.save(user);
  }
}
