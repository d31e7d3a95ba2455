import type { UserDto } from '@konkurs/server/api-types';

declare global {
  namespace App {
    interface Locals {
      user: UserDto | null;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
