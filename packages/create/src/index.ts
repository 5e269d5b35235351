export { type CreateIo, runCreate, USAGE } from './main.js';
export {
  type CreateProjectOptions,
  createProject,
  NotEmptyError,
  packageName,
} from './project.js';
export { findRegions, type Region, RegionError } from './regions.js';
export {
  PAYMENTS,
  type PaymentPath,
  REPOSITORY_ONLY_REGION,
  TEMPLATES,
  type Template,
} from './templates.js';
export { isRemoved, type Removals, removalsFor } from './transform.js';
