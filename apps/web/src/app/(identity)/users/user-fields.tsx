'use client';

import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import type { Role } from '../../../api/trpc';
import { SelectField, TextField } from '../../../ui/field';
import { messagesOf } from '../../../ui/form/use-schema-form';

const roleOptions = [
  { value: 'viewer', label: 'Viewer — sees everything, changes nothing' },
  { value: 'admin', label: 'Admin — can change everything' },
];

export interface UserIdentity {
  name: string;
  email: string;
  role: Role;
}

/**
 * Name, email and role of a user being created or edited, registered with the dialog's form: each
 * shows the domain schema's message as it is typed, or the api's after a submit.
 */
export function UserFields<Values extends FieldValues & UserIdentity>({
  form,
}: {
  form: UseFormReturn<Values, unknown, unknown>;
}) {
  const { errors } = form.formState;
  return (
    <>
      <TextField
        label="Name"
        required
        autoFocus
        autoComplete="off"
        errors={messagesOf(errors, 'name')}
        {...form.register('name' as Path<Values>)}
      />
      <TextField
        label="Email"
        type="email"
        required
        autoComplete="off"
        errors={messagesOf(errors, 'email')}
        {...form.register('email' as Path<Values>)}
      />
      <SelectField
        label="Role"
        options={roleOptions}
        errors={messagesOf(errors, 'role')}
        {...form.register('role' as Path<Values>)}
      />
    </>
  );
}
