import { serviceTestProject } from '../../vitest.shared.ts';

export default serviceTestProject('api');
