'use client';

import type { Role } from '../../api/trpc';
import { SelectField, TextField } from '../../ui/field';

const roleOptions = [
  { value: 'viewer', label: 'Viewer — sees everything, changes nothing' },
  { value: 'admin', label: 'Admin — can change everything' },
];

interface UserIdentity {
  name: string;
  email: string;
  role: Role;
}

/** Name, email and role of a user being created or edited, with the api's errors for each. */
export function UserFields<Form extends UserIdentity>({
  form,
  errors,
  onChange,
}: {
  form: Form;
  errors: Record<string, string[]>;
  onChange: (form: Form) => void;
}) {
  return (
    <>
      <TextField
        label="Name"
        name="name"
        required
        autoFocus
        autoComplete="off"
        errors={errors.name}
        value={form.name}
        onChange={(e) => onChange({ ...form, name: e.target.value })}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        required
        autoComplete="off"
        errors={errors.email}
        value={form.email}
        onChange={(e) => onChange({ ...form, email: e.target.value })}
      />
      <SelectField
        label="Role"
        name="role"
        options={roleOptions}
        errors={errors.role}
        value={form.role}
        onChange={(e) => onChange({ ...form, role: e.target.value as Role })}
      />
    </>
  );
}
