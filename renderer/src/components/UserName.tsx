// A Qlik user as `DIR\id`, with the places a long one may wrap marked (after the backslash, before an `@`).
// A mail-address user id has no spaces: without these marks it is one unbreakable word that, in a table,
// takes the width the other columns need (the audit log's Why column fell to ~48 px at 1280x800). Nowhere
// else does it break, so `DEMO\al / ice` never happens. The text is exactly formatUser's: <wbr> adds none.
import { Fragment } from 'react';
import { formatUser, type UserRef } from '../../../shared/user';

/** The pieces of `DIR\id` between which a line may break. */
function userBreakPieces(user: UserRef): string[] {
  const text = formatUser(user);
  return text.split(/(?<=\\)|(?=@)/);
}

export function UserName({ user }: { user: UserRef }) {
  return (
    <>
      {userBreakPieces(user).map((piece, index) => (
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          {piece}
        </Fragment>
      ))}
    </>
  );
}
