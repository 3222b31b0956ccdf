import { AppError } from '../../errors.ts';

/** An infeasible or contradictory placement input (pins that overfill a zone, a group pinned to two zones…). */
export class PlacementError extends AppError {
  constructor(message: string, field?: string) {
    super('invalid', message, field);
  }
}
