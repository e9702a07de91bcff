'use client';

import { useSignedInUser } from '../../../../session/session';
import { ButtonLink } from '../../../../ui/button';
import { Card, EmptyState } from '../../../../ui/states';
import { ArticleEditor, backToArticles } from '../article-editor';

export function NewArticleScreen() {
  const { canChange } = useSignedInUser();
  if (!canChange) {
    return (
      <>
        {backToArticles}
        <Card>
          <EmptyState
            title="Only admins write articles"
            action={<ButtonLink href="/articles">See the articles</ButtonLink>}
          >
            You are signed in as a viewer: you can read every article, draft or published.
          </EmptyState>
        </Card>
      </>
    );
  }
  return <ArticleEditor article={null} />;
}
